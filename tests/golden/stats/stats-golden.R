# Golden values for src/lib/stats, computed with base R (stats), survival and rpact.
# Run from the repository root:  Rscript tests/golden/stats/stats-golden.R
# Writes one JSON fixture per area next to this script; inputs are stored in the fixtures.
suppressPackageStartupMessages({
  library(jsonlite)
  library(survival)
  library(rpact)
})
out_dir <- "tests/golden/stats"
save <- function(x, name) {
  write_json(x, file.path(out_dir, paste0(name, ".json")), digits = NA, auto_unbox = TRUE,
             na = "null", null = "null", pretty = TRUE)
}
# rounding the simulated inputs to 4 decimals keeps the fixtures exact in decimal text
rnd <- function(x) round(x, 4)
meta <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
             rpact = as.character(packageVersion("rpact")))

# ---------------------------------------------------------------- distributions
dist <- list(
  pt = lapply(list(c(-2.5, 7.3), c(40, 3), c(1.3, 1), c(-0.2, 150.5), c(8, 25), c(-30, 4.5)),
              function(a) list(t = a[1], df = a[2], lower = pt(a[1], a[2]), upper = pt(a[1], a[2], lower.tail = FALSE))),
  qt = lapply(list(c(0.975, 7.3), c(1e-10, 2.5), c(0.975, 2), c(0.995, 1), c(0.9, 30.25), c(0.6, 3), c(1e-6, 12)),
              function(a) list(p = a[1], df = a[2], q = qt(a[1], a[2]))),
  pchisq = lapply(list(c(3.84, 1), c(200, 3), c(0.001, 5), c(12.5, 7.5), c(0.5, 2)),
                  function(a) list(x = a[1], df = a[2], lower = pchisq(a[1], a[2]), upper = pchisq(a[1], a[2], lower.tail = FALSE))),
  pf = lapply(list(c(4.2, 3, 17.5), c(0.3, 2, 8), c(50, 1, 30)),
              function(a) list(f = a[1], df1 = a[2], df2 = a[3], upper = pf(a[1], a[2], a[3], lower.tail = FALSE))),
  pnt = lapply(list(c(2, 38, 2.5), c(1.7, 5.5, 1.2), c(-1, 10, 0.5), c(2.1, 198, 3.1), c(2.2, 4, -0.7)),
               function(a) list(t = a[1], df = a[2], ncp = a[3], lower = pt(a[1], a[2], a[3]), upper = pt(a[1], a[2], a[3], lower.tail = FALSE)))
)
save(c(meta, dist), "distributions")

# ---------------------------------------------------------------- descriptive and t tests
set.seed(20240501)
x1 <- rnd(rnorm(23, 10, 3))
y1 <- rnd(rnorm(31, 8.5, 5))          # unequal n and variances
x2 <- c(4.1, 4.1, 5.0, 5.0, 5.0, 6.2)  # ties, even n
y2 <- c(3.0, 3.5, 7.25)                # small
x3 <- rnd(rlnorm(40, 1, 0.8))
y3 <- rnd(rlnorm(40, 0.8, 0.8))
desc_case <- function(x) {
  tt <- t.test(x)
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7)
  list(x = x, n = length(x), mean = mean(x), sd = sd(x), se = sd(x) / sqrt(length(x)), median = median(x),
       q1 = unname(q[1]), q3 = unname(q[3]), min = min(x), max = max(x),
       ciLower = tt$conf.int[1], ciUpper = tt$conf.int[2])
}
tt_case <- function(x, y, var.equal = FALSE, paired = FALSE) {
  tt <- t.test(x, y, var.equal = var.equal, paired = paired)
  list(arm = x, control = y, estimate = if (paired) unname(tt$estimate) else unname(tt$estimate[1] - tt$estimate[2]),
       statistic = unname(tt$statistic), df = unname(tt$parameter), pValue = tt$p.value,
       ciLower = tt$conf.int[1], ciUpper = tt$conf.int[2], stdErr = tt$stderr)
}
set.seed(7)
pa <- rnd(rnorm(15, 120, 10)); pb <- rnd(pa - rnorm(15, 4, 6))
ttests <- list(
  describe = list(desc_case(x1), desc_case(y1), desc_case(x2), desc_case(y2), desc_case(c(5, 1, 3, 2, 4, 7, 1.5))),
  welch = list(tt_case(x1, y1), tt_case(x2, y2), tt_case(x3, y3)),
  student = list(tt_case(x1, y1, TRUE), tt_case(x2, y2, TRUE), tt_case(x3, y3, TRUE)),
  paired = list(tt_case(pb, pa, paired = TRUE))
)
save(c(meta, ttests), "ttests")

# ---------------------------------------------------------------- ANCOVA (lm)
set.seed(99)
anc_case <- function(n1, n0, ncov, effect) {
  n <- n1 + n0
  trt <- c(rep(1, n1), rep(0, n0))
  base <- rnd(rnorm(n, 50, 10))
  cov <- lapply(seq_len(ncov), function(j) rnd(rnorm(n, 0, 1 + j)))
  y <- rnd(5 + effect * trt + 0.6 * base + Reduce(`+`, lapply(cov, function(v) 0.3 * v), 0) + rnorm(n, 0, 4))
  df <- data.frame(y = y, trt = trt, base = base)
  for (j in seq_len(ncov)) df[[paste0("c", j)]] <- cov[[j]]
  fit <- lm(y ~ ., data = df)
  s <- summary(fit)$coefficients
  ci <- confint(fit)
  list(outcome = y, treatment = trt, baseline = base, covariates = cov,
       estimate = s["trt", 1], stdErr = s["trt", 2], statistic = s["trt", 3], pValue = s["trt", 4],
       ciLower = ci["trt", 1], ciUpper = ci["trt", 2], df = fit$df.residual,
       residualSd = summary(fit)$sigma, coef = unname(s[-1, 1]), se = unname(s[-1, 2]))
}
save(c(meta, list(cases = list(anc_case(30, 25, 0, -3), anc_case(12, 40, 2, 1.5), anc_case(200, 180, 1, 0.4)))), "ancova")

# ---------------------------------------------------------------- Wilcoxon rank-sum
wx_case <- function(x, y) {
  w <- suppressWarnings(wilcox.test(x, y, correct = TRUE))
  list(arm = x, control = y, statistic = unname(w$statistic), pValue = w$p.value,
       exact = grepl("exact", w$method) || (length(x) < 50 && length(y) < 50 && !any(duplicated(c(x, y)))))
}
set.seed(3)
wilcoxon <- list(cases = list(
  wx_case(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30), c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)), # ties
  wx_case(c(0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46), c(1.15, 0.88, 0.90, 0.74, 1.21)), # exact, small
  wx_case(rnd(rnorm(12, 1)), rnd(rnorm(7))),                           # exact
  wx_case(rnd(rnorm(49, 0.3)), rnd(rnorm(45))),                        # exact, near the 50 limit
  wx_case(rnd(rnorm(60, 0.4)), rnd(rnorm(55))),                        # normal approximation
  wx_case(c(3, 3, 3, 4, 5), c(1, 2, 3, 3, 6, 6)),                      # heavy ties
  wx_case(c(5, 6, 7), c(1, 2, 3, 4))                                   # complete separation
))
save(c(meta, wilcoxon), "wilcoxon")

# ---------------------------------------------------------------- binary
z <- qnorm(0.975)
wilson <- function(x, n) prop.test(x, n, correct = FALSE)$conf.int
bin_case <- function(x1, n1, x2, n2) {
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  w1 <- wilson(x1, n1); w2 <- wilson(x2, n2)
  rrc <- if (x1 == 0 || x2 == 0) 0.5 else 0
  lrr <- log((x1 + rrc) / (n1 + 2 * rrc)) - log((x2 + rrc) / (n2 + 2 * rrc))
  serr <- sqrt(1 / (x1 + rrc) - 1 / (n1 + 2 * rrc) + 1 / (x2 + rrc) - 1 / (n2 + 2 * rrc))
  cells <- c(x1, n1 - x1, x2, n2 - x2)
  orc <- if (any(cells == 0)) 0.5 else 0
  cc <- cells + orc
  lor <- log(cc[1] * cc[4] / (cc[2] * cc[3])); seor <- sqrt(sum(1 / cc))
  tab <- matrix(c(x1, x2, n1 - x1, n2 - x2), 2)
  ft <- fisher.test(tab)
  # R's fisher.test solves the conditional MLE and interval with uniroot's default tolerance
  # (~1e-4); the same equations are re-solved here to 1e-12 for a tight golden value.
  m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dn <- function(lt) { d <- logdc + lt * support; d <- exp(d - max(d)); d / sum(d) }
  solve <- function(f) exp(uniroot(f, c(-50, 50), tol = 1e-13)$root)
  a2 <- 0.025
  mle <- if (x == lo) 0 else if (x == hi) NA else solve(function(t) sum(support * dn(t)) - x)
  ciL <- if (x == lo) 0 else solve(function(t) sum(dn(t)[support >= x]) - a2)
  ciU <- if (x == hi) NA else solve(function(t) sum(dn(t)[support <= x]) - a2)
  c1 <- suppressWarnings(chisq.test(tab, correct = TRUE)); c0 <- suppressWarnings(chisq.test(tab, correct = FALSE))
  list(arm = list(events = x1, n = n1), control = list(events = x2, n = n2),
       wilsonArm = w1, wilsonControl = w2,
       rd = d, rdSe = se, waldLower = d - z * se, waldUpper = d + z * se,
       newcombeLower = d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), newcombeUpper = d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2),
       rr = exp(lrr), rrLower = exp(lrr - z * serr), rrUpper = exp(lrr + z * serr), rrCorrected = rrc > 0,
       or = exp(lor), orLower = exp(lor - z * seor), orUpper = exp(lor + z * seor), orCorrected = orc > 0,
       fisherP = ft$p.value, fisherOr = unname(ft$estimate), fisherCi = unname(ft$conf.int),
       fisherOrTight = mle, fisherCiTight = c(ciL, ciU),
       chisqYates = unname(c1$statistic), chisqYatesP = c1$p.value,
       chisq = unname(c0$statistic), chisqP = c0$p.value)
}
binary <- list(cases = list(
  bin_case(56, 70, 48, 80),    # Newcombe (1998) table II example (a)
  bin_case(9, 10, 3, 10),      # small
  bin_case(0, 20, 5, 22),      # zero cell
  bin_case(12, 12, 7, 15),     # all events in one arm
  bin_case(120, 400, 95, 410), # larger
  bin_case(1, 30, 1, 31)       # rare, equal
))
rc <- matrix(c(12, 5, 9, 7, 15, 11, 3, 8, 14), 3)
rcTest <- chisq.test(rc)
binary$rxc <- list(table = lapply(1:3, function(i) rc[i, ]), statistic = unname(rcTest$statistic),
                   df = unname(rcTest$parameter), pValue = rcTest$p.value)
save(c(meta, binary), "binary")

# ---------------------------------------------------------------- survival
set.seed(2024)
gen_surv <- function(n, rate, cens) {
  t <- rexp(n, rate); c <- runif(n, 0, cens)
  list(time = pmax(round(pmin(t, c), 1), 0.1), status = as.integer(t <= c))
}
g1 <- gen_surv(40, 0.10, 20); g2 <- gen_surv(35, 0.06, 20); g3 <- gen_surv(28, 0.15, 20)
time <- c(g1$time, g2$time, g3$time); status <- c(g1$status, g2$status, g3$status)
group <- c(rep(0, 40), rep(1, 35), rep(2, 28))
age <- rnd(rnorm(length(time), 60, 8))
km_case <- function(time, status) {
  f <- survfit(Surv(time, status) ~ 1)
  tab <- summary(f)$table
  list(time_in = time, status = status,
       time = f$time, nRisk = f$n.risk, nEvent = f$n.event, nCensor = f$n.censor, surv = f$surv,
       stdErr = f$std.err, lower = f$lower, upper = f$upper,
       median = unname(tab["median"]), medianLower = unname(tab["0.95LCL"]), medianUpper = unname(tab["0.95UCL"]))
}
# small hand-made curves for the median rules: exactly 0.5 (averaging), not reached, ends at zero
km <- list(cases = list(
  km_case(g1$time, g1$status),
  km_case(g2$time, g2$status),
  km_case(c(1, 2, 3, 4, 5, 6), c(1, 1, 1, 0, 1, 0)),
  km_case(c(2, 4, 4, 6, 8, 10), c(1, 0, 1, 1, 0, 0)),
  km_case(c(1, 2, 2, 3, 5, 8, 9), c(1, 1, 1, 0, 1, 1, 1)),
  km_case(c(3, 5, 7, 9, 12, 15, 18, 20), c(0, 1, 0, 0, 1, 0, 0, 0)),
  km_case(c(1, 2, 3, 4), c(1, 1, 1, 1))
))
save(c(meta, km), "kaplan-meier")

lr_case <- function(time, status, group) {
  s <- survdiff(Surv(time, status) ~ group)
  list(time = time, status = status, group = group, statistic = s$chisq, df = length(s$n) - 1,
       pValue = pchisq(s$chisq, length(s$n) - 1, lower.tail = FALSE),
       observed = unname(s$obs), expected = unname(s$exp), n = unname(as.numeric(s$n)))
}
two <- group < 2
logrank <- list(cases = list(
  lr_case(time, status, group),
  lr_case(time[two], status[two], group[two]),
  lr_case(c(1, 1, 2, 3, 3, 4, 5, 5, 6, 7), c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0), c(0, 1, 0, 1, 0, 1, 0, 1, 0, 1))
))
save(c(meta, logrank), "logrank")

ctl <- coxph.control(eps = 1e-12, iter.max = 100, toler.chol = 1e-14)
cox_case <- function(time, status, covs, ties) {
  df <- data.frame(time = time, status = status, covs)
  fit <- coxph(Surv(time, status) ~ ., data = df, ties = ties, control = ctl)
  s <- summary(fit, conf.int = 0.95)
  list(time = time, status = status, covariates = unname(as.list(covs)), names = names(covs), ties = ties,
       coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))), hr = unname(exp(coef(fit))),
       pValue = unname(s$coefficients[, "Pr(>|z|)"]),
       hrLower = unname(s$conf.int[, "lower .95"]), hrUpper = unname(s$conf.int[, "upper .95"]),
       # summary.coxph rounds the test statistics for printing; take them from the fit instead
       logLik = fit$loglik, lr = 2 * diff(fit$loglik), lrP = pchisq(2 * diff(fit$loglik), length(coef(fit)), lower.tail = FALSE),
       wald = fit$wald.test, waldP = pchisq(fit$wald.test, length(coef(fit)), lower.tail = FALSE),
       score = fit$score, scoreP = pchisq(fit$score, length(coef(fit)), lower.tail = FALSE))
}
trt2 <- as.numeric(group[two] == 1)
cox <- list(cases = list(
  cox_case(time[two], status[two], data.frame(trt = trt2), "efron"),
  cox_case(time[two], status[two], data.frame(trt = trt2), "breslow"),
  cox_case(time, status, data.frame(g1 = as.numeric(group == 1), g2 = as.numeric(group == 2), age = age), "efron"),
  cox_case(time, status, data.frame(g1 = as.numeric(group == 1), g2 = as.numeric(group == 2), age = age), "breslow"),
  cox_case(c(1, 1, 2, 3, 3, 4, 5, 5, 6, 7), c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0),
           data.frame(x = c(0, 1, 0, 1, 0, 1, 0, 1, 0, 1)), "efron")
))
save(c(meta, cox), "cox")

# ---------------------------------------------------------------- multiplicity, power, group-sequential
pv <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.7, 0.0001)
padj <- list(p = pv, bonferroni = p.adjust(pv, "bonferroni"), holm = p.adjust(pv, "holm"),
             hochberg = p.adjust(pv, "hochberg"))
tol <- 1e-12
ptt <- list(
  list(solve = "power", n = 20, delta = 1, sd = 1, sigLevel = 0.05, power = power.t.test(n = 20, delta = 1)$power),
  list(solve = "power", n = 7.5, delta = 2.3, sd = 2, sigLevel = 0.01, power = power.t.test(n = 7.5, delta = 2.3, sd = 2, sig.level = 0.01)$power),
  list(solve = "n", delta = 0.5, sd = 1, sigLevel = 0.05, power = 0.8, n = power.t.test(delta = 0.5, power = 0.8, tol = tol)$n),
  list(solve = "n", delta = 3, sd = 10, sigLevel = 0.05, power = 0.9, n = power.t.test(delta = 3, sd = 10, power = 0.9, tol = tol)$n),
  list(solve = "delta", n = 50, sd = 1, sigLevel = 0.05, power = 0.9, delta = power.t.test(n = 50, power = 0.9, tol = tol)$delta)
)
ppt <- list(
  list(solve = "n", p1 = 0.5, p2 = 0.75, sigLevel = 0.05, power = 0.9, n = power.prop.test(p1 = 0.5, p2 = 0.75, power = 0.9, tol = tol)$n),
  list(solve = "n", p1 = 0.1, p2 = 0.05, sigLevel = 0.025, power = 0.8, n = power.prop.test(p1 = 0.1, p2 = 0.05, power = 0.8, sig.level = 0.025, tol = tol)$n),
  list(solve = "power", n = 50, p1 = 0.5, p2 = 0.75, sigLevel = 0.05, power = power.prop.test(n = 50, p1 = 0.5, p2 = 0.75)$power)
)
gs_case <- function(type, kMax, alpha, sided, rates = NULL) {
  d <- if (is.null(rates)) getDesignGroupSequential(typeOfDesign = type, kMax = kMax, alpha = alpha, sided = sided)
       else getDesignGroupSequential(typeOfDesign = type, kMax = kMax, alpha = alpha, sided = sided, informationRates = rates)
  list(typeOfDesign = type, kMax = kMax, alpha = alpha, sided = sided, informationRates = d$informationRates,
       criticalValues = d$criticalValues, alphaSpent = d$alphaSpent, stageLevels = d$stageLevels)
}
gs <- list(
  gs_case("asOF", 3, 0.025, 1), gs_case("asOF", 5, 0.025, 1), gs_case("asP", 3, 0.025, 1),
  gs_case("asOF", 3, 0.05, 2), gs_case("asP", 4, 0.05, 2), gs_case("asOF", 3, 0.025, 1, c(0.3, 0.7, 1)),
  gs_case("asP", 2, 0.05, 2, c(0.4, 1)), gs_case("asOF", 1, 0.025, 1)
)
# Dunnett: test statistics from multcomp::glht; adjusted p-values re-computed with mvtnorm::pmvt at a
# much tighter error (~1e-8) than summary.glht's default (abseps = 1e-3); multcomp's own values are kept too.
suppressPackageStartupMessages(library(multcomp))
dunnett_case <- function(groups, df_inf = FALSE) {
  y <- unlist(groups)
  g <- factor(rep(seq_along(groups) - 1, lengths(groups)))
  fit <- glht(lm(y ~ g), linfct = mcp(g = "Dunnett"))
  set.seed(11)
  s <- summary(fit, test = adjusted("single-step"))
  set.seed(11)
  ci <- confint(fit)
  tstat <- unname(s$test$tstat)
  corr <- cov2cor(vcov(fit))
  k <- length(tstat)
  set.seed(12)
  tight <- sapply(abs(tstat), function(t) 1 - pmvt(lower = -rep(t, k), upper = rep(t, k), df = fit$df, corr = corr,
                                                     algorithm = GenzBretz(maxpts = 2e7, abseps = 1e-10, releps = 0)))
  list(control = groups[[1]], arms = groups[-1], statistic = tstat, estimate = unname(coef(fit)), df = fit$df,
       pValue = tight, pValueMultcomp = unname(s$test$pvalues), criticalValue = attr(ci$confint, "calpha"),
       ciLower = unname(ci$confint[, "lwr"]), ciUpper = unname(ci$confint[, "upr"]))
}
set.seed(5)
dun <- list(
  dunnett_case(list(c(10.1, 9.5, 11.2, 10.8, 9.9, 10.4, 10.0, 11.0), c(11.5, 12.0, 10.9, 11.8, 12.3, 11.1),
                    c(10.2, 10.9, 9.8, 10.5, 11.4, 10.1, 10.6, 10.3, 9.9), c(12.5, 11.9, 13.0, 12.2, 12.8))),
  dunnett_case(list(rnd(rnorm(20)), rnd(rnorm(20, 0.5)))),
  dunnett_case(list(rnd(rnorm(30)), rnd(rnorm(25, 0.3)), rnd(rnorm(28, 0.6)), rnd(rnorm(30, 0.1)), rnd(rnorm(22, 0.5))))
)
save(c(meta, list(pAdjust = padj, powerTTest = ptt, powerPropTest = ppt, groupSequential = gs, dunnett = dun)), "design")
cat("golden fixtures written to", out_dir, "\n")
