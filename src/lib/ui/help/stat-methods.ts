import type { ComparisonMethod } from '../../analysis/compare-types';
import type { RepeatedMethod } from '../../analysis/repeated-analysis';

/**
 * The Help page's statistical methods: what each estimates or tests, what it assumes, the
 * reference and the R call its numbers are checked against (the headers of src/lib/stats/*.ts
 * say the same next to the code). `methods` lists the comparison methods a section explains and
 * `repeated` the repeated-measures analyses (`analyze --type repeated`, power's operating
 * characteristics), so every method the app names can link to its section (method-help-anchor).
 */
export interface StatMethodHelp {
  /** the section's anchor on /help */
  id: string;
  title: string;
  group: StatGroupId;
  /** comparison methods explained here (their readable names are shown with the section) */
  methods: readonly ComparisonMethod[];
  /** repeated-measures analyses explained here */
  repeated?: readonly RepeatedMethod[];
  /** what it estimates or tests, and how */
  what: string;
  assumptions: string;
  reference: string;
  /** the R call that gives the same numbers */
  r: string;
}

export type StatGroupId = 'continuous' | 'binary' | 'tte' | 'multiplicity' | 'repeated' | 'design';

export const STAT_GROUPS: readonly { id: StatGroupId; title: string }[] = [
  { id: 'continuous', title: 'Continuous endpoints' },
  { id: 'binary', title: 'Binary (responder) endpoints' },
  { id: 'tte', title: 'Time-to-event endpoints' },
  { id: 'multiplicity', title: 'Several arms: multiplicity' },
  { id: 'repeated', title: 'Repeated measures and missing data' },
  { id: 'design', title: 'Design: sample size and interim analyses' }
];

export const STAT_METHODS: readonly StatMethodHelp[] = [
  {
    id: 'welch-t',
    title: 'Welch two-sample t-test',
    group: 'continuous',
    methods: ['welch_t'],
    what: 'The difference of means arm − control, t = (x̄₁ − x̄₀)/√(s₁²/n₁ + s₀²/n₀), with Welch–Satterthwaite degrees of freedom and a t-based confidence interval. The default primary analysis of a continuous endpoint without a baseline, and the analysis of each replicate in a power study.',
    assumptions:
      'Independent observations; means approximately normal (the central limit theorem makes this hold for moderate n); the two variances may differ. At least 2 values per arm.',
    reference:
      'B. L. Welch, “The generalization of Student’s problem when several different population variances are involved”, Biometrika 34 (1947) 28–35.',
    r: 't.test(arm, control)'
  },
  {
    id: 'student-t',
    title: 'Student two-sample t-test',
    group: 'continuous',
    methods: ['student_t'],
    what: 'The difference of means with a pooled variance s² = ((n₁ − 1)s₁² + (n₀ − 1)s₀²)/(n₁ + n₀ − 2) on n₁ + n₀ − 2 degrees of freedom.',
    assumptions:
      'As Welch’s test, and equal variances in the two arms; with unequal variances and unequal sizes its type I error is wrong, which is why Welch’s test is the default.',
    reference: 'Student, “The probable error of a mean”, Biometrika 6 (1908) 1–25.',
    r: 't.test(arm, control, var.equal = TRUE)'
  },
  {
    id: 'mann-whitney',
    title: 'Wilcoxon–Mann–Whitney rank-sum test',
    group: 'continuous',
    methods: ['mann_whitney'],
    what: 'Ranks the pooled values; W = (rank sum of the arm) − n₁(n₁ + 1)/2 counts the pairs in which the arm’s value is larger. Exact p-value when both arms have fewer than 50 values and there are no ties, otherwise the normal approximation with tie and continuity corrections.',
    assumptions:
      'Independent observations; tests whether values in one arm tend to be larger (P(X > Y) ≠ ½). It is a test of a location shift only when the two distributions have the same shape. No normality needed.',
    reference: 'M. Hollander, D. A. Wolfe, Nonparametric Statistical Methods, 2nd ed., Wiley 1999, §4.1.',
    r: 'wilcox.test(arm, control)'
  },
  {
    id: 'hodges-lehmann',
    title: 'Hodges–Lehmann shift',
    group: 'continuous',
    methods: ['hodges_lehmann'],
    what: 'The estimate that goes with the rank-sum test: the median of all n₁·n₀ differences armᵢ − controlⱼ, with the confidence interval obtained by inverting the rank-sum test (its p-value is the Mann–Whitney row’s).',
    assumptions: 'The two distributions differ by a shift (same shape); robust to outliers and skewness.',
    reference: 'J. L. Hodges, E. L. Lehmann, Ann Math Stat 34 (1963) 598–611; Hollander & Wolfe (1999) §4.3.',
    r: 'wilcox.test(arm, control, conf.int = TRUE)'
  },
  {
    id: 'ancova',
    title: 'ANCOVA (adjusted for baseline)',
    group: 'continuous',
    methods: ['ancova', 'ancova_pairwise'],
    repeated: ['ancova', 'ancova_pairwise'],
    what: 'Linear regression of the outcome on the arm and the baseline value, y = β₀ + β_arm + γ·baseline + ε; the arm’s coefficient is the treatment effect adjusted for baseline. “All arms” fits every arm in one model (one residual variance and one slope, df n − k − 1); “pairwise” fits each arm with the control alone. The recommended primary analysis of a change-from-baseline endpoint: adjusting for a prognostic baseline reduces the variance without bias in a randomised trial.',
    assumptions:
      'A linear relationship with the baseline, the same slope in every arm, independent normal errors with a common variance; randomisation makes the baseline independent of the arm.',
    reference:
      'EMA, Guideline on adjustment for baseline covariates in clinical trials (EMA/CHMP/295050/2013, 2015); G. A. F. Seber, A. J. Lee, Linear Regression Analysis, 2nd ed., Wiley 2003.',
    r: 'lm(y ~ arm + baseline)'
  },
  {
    id: 'gmr',
    title: 'Geometric mean ratio',
    group: 'continuous',
    methods: ['gmr'],
    what: 'For exposure endpoints (AUC, Cmax): the pooled t-test on log values, back-transformed: exp(mean log arm − mean log control) with a 90 % confidence interval, whatever the page’s confidence level, as average bioequivalence reads it (80–125 %).',
    assumptions: 'Values are positive and log-normally distributed with a common variance on the log scale.',
    reference:
      'FDA, Guidance for Industry: Statistical Approaches to Establishing Bioequivalence (2001); D. J. Schuirmann, J Pharmacokinet Biopharm 15 (1987) 657–680.',
    r: 'exp(t.test(log(arm), log(control), var.equal = TRUE, conf.level = 0.9)$conf.int)'
  },
  {
    id: 'target-attainment',
    title: 'Probability of target attainment',
    group: 'continuous',
    methods: [],
    what: 'The share of twins whose exposure lies in a target window [low, high], per arm, with the Wilson interval; e.g. a vancomycin AUC₂₄ of 400–600 mg·h/L.',
    assumptions: 'Twins are independent; the window is fixed in advance.',
    reference: 'M. J. Rybak et al., Am J Health Syst Pharm 77 (2020) 835–864.',
    r: 'prop.test(sum(x >= low & x <= high), length(x), correct = FALSE)$conf.int'
  },
  {
    id: 'factorial',
    title: '2×2 factorial interaction',
    group: 'continuous',
    methods: [],
    what: 'For four arms (neither, drug, companion, both): the A:B coefficient of y ~ A * B, the difference of differences of cell means (ȳ₁₁ − ȳ₁₀) − (ȳ₀₁ − ȳ₀₀), with its t-test on n − 4 df. Zero when the two treatments add up.',
    assumptions: 'Normal errors with a common variance in the four cells.',
    reference: 'D. C. Montgomery, Design and Analysis of Experiments, 9th ed., Wiley 2017, §5.3.',
    r: 'summary(lm(y ~ A * B))'
  },
  {
    id: 'chi-square',
    title: 'Pearson chi-square test',
    group: 'binary',
    methods: ['chi_square', 'chi_square_yates'],
    what: 'Compares the observed 2×2 counts (arm × responder) with those expected if response did not depend on the arm: X² = Σ (O − E)²/E on 1 df. Yates’ version subtracts ½ from each |O − E| (more conservative). The primary analysis of a responder endpoint in a power study.',
    assumptions:
      'Independent subjects; every expected count at least about 5 (otherwise use Fisher’s exact test).',
    reference:
      'A. Agresti, Categorical Data Analysis, 2nd ed., Wiley 2002, §3.2; F. Yates, JRSS Suppl 1 (1934) 217–235.',
    r: 'chisq.test(table, correct = FALSE) (Yates: correct = TRUE)'
  },
  {
    id: 'fisher-exact',
    title: 'Fisher exact test',
    group: 'binary',
    methods: ['fisher_exact'],
    what: 'Conditions on the margins of the 2×2 table: the number of responders in the arm is hypergeometric under no difference; the two-sided p-value sums the tables no more probable than the one observed. The estimate is the conditional maximum-likelihood odds ratio with its exact interval.',
    assumptions:
      'Independent subjects; exact for any sample size (conservative because the margins are fixed).',
    reference: 'R. A. Fisher, The Design of Experiments, 1935; Agresti (2002) §3.5.',
    r: 'fisher.test(table)'
  },
  {
    id: 'risk-difference',
    title: 'Risk difference',
    group: 'binary',
    methods: ['risk_difference_wald', 'risk_difference_newcombe'],
    what: 'p₁ − p₀ with the Wald interval (p₁ − p₀) ± z·√(p₁(1 − p₁)/n₁ + p₀(1 − p₀)/n₀), and Newcombe’s hybrid score interval built from the two Wilson intervals, which keeps its coverage near 0 and 1 where Wald’s does not.',
    assumptions: 'Independent subjects; the Wald interval needs enough events in each arm.',
    reference: 'R. G. Newcombe, Stat Med 17 (1998) 873–890, methods 1 and 10.',
    r: 'the closed forms in base R, Newcombe’s from the Wilson limits of prop.test(x, n, correct = FALSE)'
  },
  {
    id: 'risk-ratio',
    title: 'Risk ratio',
    group: 'binary',
    methods: ['risk_ratio'],
    what: 'p₁/p₀ with the log (Katz) interval exp(log RR ± z·√(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀)); 0.5 is added to each cell when an arm has no events.',
    assumptions: 'Independent subjects; at least one event.',
    reference: 'D. Katz, J. Baptista, S. P. Azen, M. C. Pike, Biometrics 34 (1978) 469–474.',
    r: 'exp(log(p1 / p0) + c(-1, 1) * qnorm(0.975) * se) in base R'
  },
  {
    id: 'odds-ratio',
    title: 'Odds ratio',
    group: 'binary',
    methods: ['odds_ratio_woolf', 'odds_ratio_haldane'],
    what: 'OR = (a·d)/(b·c), arm odds over control odds, with Woolf’s logit interval exp(log OR ± z·√(1/a + 1/b + 1/c + 1/d)); Haldane–Anscombe adds 0.5 to every cell when one is zero.',
    assumptions: 'Independent subjects; not all or none of them responders.',
    reference:
      'B. Woolf, Ann Hum Genet 19 (1955) 251–253; J. B. S. Haldane, Ann Hum Genet 20 (1956) 309–311.',
    r: 'exp(log(a * d / (b * c)) + c(-1, 1) * qnorm(0.975) * se) in base R'
  },
  {
    id: 'wilson',
    title: 'Wilson score interval of a proportion',
    group: 'binary',
    methods: [],
    what: 'The interval of each arm’s proportion (and of a power estimate): the p for which |p̂ − p|/√(p(1 − p)/n) ≤ z, centred at (p̂ + z²/2n)/(1 + z²/n). It stays inside [0, 1] and covers near its nominal level even for small n or p near 0 or 1.',
    assumptions: 'Independent binary outcomes with a common probability.',
    reference: 'E. B. Wilson, JASA 22 (1927) 209–212; R. G. Newcombe, Stat Med 17 (1998) 857–872, method 3.',
    r: 'prop.test(x, n, correct = FALSE)$conf.int'
  },
  {
    id: 'kaplan-meier',
    title: 'Kaplan–Meier estimate and median survival',
    group: 'tte',
    methods: ['km_median'],
    what: 'S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ/nᵢ), dᵢ events among nᵢ at risk; Greenwood’s variance with log-transformed confidence limits. The median is the first time S(t) ≤ 0.5 (“not reached” if never), its interval read off the confidence limits.',
    assumptions:
      'Censoring independent of the event (non-informative); the twins are a sample of one population per arm.',
    reference:
      'E. L. Kaplan, P. Meier, JASA 53 (1958) 457–481; R. Brookmeyer, J. Crowley, Biometrics 38 (1982) 29–41.',
    r: 'survival::survfit(Surv(time, status) ~ arm)'
  },
  {
    id: 'log-rank',
    title: 'Log-rank test',
    group: 'tte',
    methods: ['log_rank'],
    what: 'At every event time, the expected events in each arm if survival did not differ (events × share at risk); the statistic (O − E)²/V on 1 df (k − 1 for k arms), V the hypergeometric variance. The primary analysis of a time-to-event endpoint in a power study.',
    assumptions:
      'Independent censoring; most powerful when hazards are proportional, and weak when the curves cross.',
    reference:
      'N. Mantel, Cancer Chemother Rep 50 (1966) 163–170; R. Peto, J. Peto, JRSS A 135 (1972) 185–207.',
    r: 'survival::survdiff(Surv(time, status) ~ arm)'
  },
  {
    id: 'cox',
    title: 'Cox proportional hazards (hazard ratio)',
    group: 'tte',
    methods: ['cox_efron', 'cox_breslow'],
    what: 'h(t | arm) = h₀(t)·exp(β·arm): the hazard ratio exp(β) with a Wald interval, fitted by maximising the partial likelihood (the baseline hazard h₀ is left unspecified). Efron’s or Breslow’s handling of tied event times.',
    assumptions: 'Proportional hazards (a constant ratio over time); independent censoring.',
    reference:
      'D. R. Cox, JRSS B 34 (1972) 187–220; B. Efron, JASA 72 (1977) 557–565; T. M. Therneau, P. M. Grambsch, Modeling Survival Data, Springer 2000, ch. 3.',
    r: 'survival::coxph(Surv(time, status) ~ arm, ties = "efron")'
  },
  {
    id: 'multiplicity',
    title: 'Holm, Hochberg and Bonferroni adjustment',
    group: 'multiplicity',
    methods: [],
    what: 'With k active arms each compared with the control, the chance of at least one false positive exceeds α. The primary method’s p-values are adjusted (the “p adj” column). Bonferroni: min(1, k·p). Holm: sort p₍₁₎ ≤ … ≤ p₍ₖ₎, adjusted p₍ᵢ₎ = max over j ≤ i of min(1, (k − j + 1)·p₍ⱼ₎): uniformly more powerful than Bonferroni, the default. Hochberg: the step-up version, more powerful again.',
    assumptions:
      'Bonferroni and Holm control the family-wise error rate under any dependence; Hochberg needs the tests to be independent or positively dependent, as comparisons that share one control usually are.',
    reference: 'S. Holm, Scand J Stat 6 (1979) 65–70; Y. Hochberg, Biometrika 75 (1988) 800–802.',
    r: 'p.adjust(p, method = "holm")'
  },
  {
    id: 'dunnett',
    title: 'Dunnett many-to-one comparisons',
    group: 'multiplicity',
    methods: [],
    what: 'Every active arm against one control with a pooled variance: single-step adjusted p-values and simultaneous confidence intervals from the multivariate t distribution of the k statistics (they are correlated because they share the control). Shown below the comparison table for continuous endpoints with two or more active arms.',
    assumptions: 'Normal errors with a common variance in all arms; independent subjects.',
    reference:
      'C. W. Dunnett, JASA 50 (1955) 1096–1121; J. C. Hsu, Multiple Comparisons, Chapman & Hall 1996, §3.1.',
    r: 'multcomp::glht(lm(y ~ group), linfct = mcp(group = "Dunnett"))'
  },
  {
    id: 'mmrm',
    title: 'Mixed model for repeated measures (MMRM)',
    group: 'repeated',
    methods: [],
    repeated: ['mmrm'],
    what: 'All post-baseline visits in one model: mean arm × visit (+ baseline × visit), an unstructured within-subject covariance over visits fitted by REML, and the treatment effect at a visit with Satterthwaite degrees of freedom. It uses every observed value, so it is valid under missing at random (MAR) without imputing anything. When the unstructured covariance does not converge, heterogeneous Toeplitz, heterogeneous AR(1) and compound symmetry are tried in turn and the result says which was used.',
    assumptions:
      'Multivariate normal outcomes; data missing at random given the observed values and the arm.',
    reference:
      'C. H. Mallinckrodt et al., Drug Inf J 42 (2008) 303–319; F. E. Satterthwaite, Biometrics Bull 2 (1946) 110–114.',
    r: 'nlme::gls(y ~ arm * visit + baseline * visit, correlation = corSymm(form = ~ visit | id), weights = varIdent(form = ~ 1 | visit), method = "REML")'
  },
  {
    id: 'multiple-imputation',
    title: 'Multiple imputation and Rubin’s rules',
    group: 'repeated',
    methods: [],
    repeated: ['mi_mar', 'mi_j2r', 'mi_cr', 'mi_cir', 'tipping_point'],
    what: 'Each missing value is drawn m times (20 by default) from its predictive distribution, every completed dataset is analysed by ANCOVA at the visit, and the m results are pooled by Rubin’s rules: the mean of the m estimates, total variance T = Ū + (1 + 1/m)·B (within plus between imputations) and Barnard–Rubin degrees of freedom. Under MAR the values are drawn by sequential regression on earlier visits with parameters drawn from their posterior (as mice’s “norm”). Reference-based imputation treats a dropout in an active arm as if it then behaved like the reference (control) arm: jump to reference (J2R, the reference’s mean from dropout on), copy reference (CR, the reference’s whole profile) or copy increments from reference (CIR, the reference’s changes added to the last value on treatment). A tipping-point analysis adds a shift δ to the active arm’s imputed values until significance is lost.',
    assumptions:
      'MAR for mi_mar; the reference-based methods state a missing-not-at-random scenario explicitly, as an estimand for treatment discontinuation asks.',
    reference:
      'D. B. Rubin, Multiple Imputation for Nonresponse in Surveys, Wiley 1987; J. Barnard, D. B. Rubin, Biometrika 86 (1999) 948–955; J. R. Carpenter, J. H. Roger, M. G. Kenward, J Biopharm Stat 23 (2013) 1352–1371; B. Ratitch, M. O’Kelly, R. Tosiello, Pharm Stat 12 (2013) 337–347.',
    r: 'mice::mice(method = "norm") then mice::pool(fit)'
  },
  {
    id: 'single-imputation',
    title: 'LOCF, BOCF and completers',
    group: 'repeated',
    methods: [],
    repeated: ['locf', 'bocf', 'completers'],
    what: 'Legacy single imputation, kept for comparison: last observation carried forward, baseline observation carried forward, or the subjects observed at the visit only. None reflects the uncertainty of the filled-in values, and the bias depends on the trajectory: a virtual trial can show it against the twins’ true effect.',
    assumptions:
      'LOCF assumes the outcome stops changing at dropout; completers assume dropout is unrelated to the outcome (MCAR).',
    reference:
      'National Research Council, The Prevention and Treatment of Missing Data in Clinical Trials, National Academies Press 2010, §4.',
    r: 'lm(y ~ arm + baseline) on the filled-in (or complete) data'
  },
  {
    id: 'power-formulas',
    title: 'Power of the t-test and of two proportions',
    group: 'design',
    methods: [],
    what: 'Closed-form power for a check of a simulated power study: two-sample t-test from the noncentral t distribution with noncentrality δ/(σ·√(2/n)), and two proportions by the normal approximation; either can be solved for n instead.',
    assumptions:
      'The analysis is the simple test itself, with known σ (or p₁, p₀) and equal arms; a simulated trial also carries dropout, covariates and the model’s variability, which these formulas do not.',
    reference:
      'J. Cohen, Statistical Power Analysis for the Behavioral Sciences, 2nd ed., 1988, ch. 2; J. L. Fleiss, B. Levin, M. C. Paik, Statistical Methods for Rates and Proportions, 3rd ed., Wiley 2003, §4.2.',
    r: 'power.t.test(n, delta, sd); power.prop.test(n, p1, p2)'
  },
  {
    id: 'group-sequential',
    title: 'Group-sequential boundaries',
    group: 'design',
    methods: [],
    what: 'Efficacy boundaries for K interim analyses at given information fractions from Lan–DeMets α-spending: O’Brien–Fleming-like (spends little α early) or Pocock-like (spends it evenly); the crossing probabilities by the recursive numerical integration of Armitage, McPherson and Rowe.',
    assumptions:
      'The test statistics at the looks follow the canonical joint normal distribution (independent increments).',
    reference:
      'K. K. G. Lan, D. L. DeMets, Biometrika 70 (1983) 659–663; C. Jennison, B. W. Turnbull, Group Sequential Methods with Applications to Clinical Trials, Chapman & Hall 2000, §19.',
    r: 'rpact::getDesignGroupSequential(typeOfDesign = "asOF", kMax, alpha)'
  }
];
