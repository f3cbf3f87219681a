# Golden values for the effect measures of src/lib/stats (ancovaAllArms, hodgesLehmann,
# geometricMeanRatio, factorialInteraction, targetAttainment), computed with base R.
# Run from the repository root:  Rscript tests/golden/effects/effects-golden.R
# Writes effects.json (inputs and R's results) next to this script.
suppressPackageStartupMessages(library(jsonlite))
out_dir <- "tests/golden/effects"
rnd <- function(x) round(x, 4)
set.seed(20261202)

# ---------------------------------------------------------------- ANCOVA, all arms in one model
# lm(y ~ arm + baseline) with the control as the reference level: each active arm's
# coefficient, its SE, t on n - k - 1 df (k = arms - 1 + 1 predictors), p and CI.
ancova_case <- function(sizes, effects, slope = 0.6, conf = 0.95) {
  arm <- rep(seq_along(sizes) - 1, sizes)
  baseline <- rnd(rnorm(length(arm), 150, 12))
  y <- rnd(effects[arm + 1] + slope * (baseline - 150) + rnorm(length(arm), 0, 9))
  f <- factor(arm)
  fit <- lm(y ~ f + baseline)
  s <- summary(fit)$coefficients
  ci <- confint(fit, level = conf)
  rows <- paste0("f", seq_len(length(sizes) - 1))
  pairwise <- lapply(seq_len(length(sizes) - 1), function(a) {
    keep <- arm %in% c(0, a)
    pf <- lm(y ~ I(arm == a) + baseline, subset = keep)
    ps <- summary(pf)$coefficients
    list(estimate = ps[2, 1], stdErr = ps[2, 2], df = pf$df.residual)
  })
  list(arm = arm, baseline = baseline, y = y, confLevel = conf,
       estimate = I(unname(s[rows, 1])), stdErr = I(unname(s[rows, 2])), statistic = I(unname(s[rows, 3])),
       pValue = I(unname(s[rows, 4])), ciLow = I(unname(ci[rows, 1])), ciHigh = I(unname(ci[rows, 2])),
       df = fit$df.residual, residualSd = summary(fit)$sigma,
       slope = unname(s["baseline", 1]), slopeStdErr = unname(s["baseline", 2]),
       pairwise = pairwise)
}
ancova <- list(
  ancova_case(c(20, 25, 22), c(0, -6, -10)),
  ancova_case(c(9, 14, 11, 30), c(0, -2, -4, -8), conf = 0.9),
  ancova_case(c(15, 18), c(0, -5))  # two arms: the all-arms fit is the pairwise fit
)

# ---------------------------------------------------------------- Hodges–Lehmann
# wilcox.test(x, y, conf.int = TRUE): exact (both n < 50, no ties) or the normal approximation
# with continuity correction, its roots found by uniroot at R's default tol.root = 1e-4.
hl_case <- function(x, y, conf = 0.95) {
  w <- wilcox.test(x, y, conf.int = TRUE, conf.level = conf)
  list(x = x, y = y, confLevel = conf, estimate = unname(w$estimate),
       ciLow = w$conf.int[1], ciHigh = w$conf.int[2],
       achievedConfLevel = attr(w$conf.int, "conf.level"),
       statistic = unname(w$statistic), pValue = w$p.value,
       exact = grepl("exact", w$method))
}
hl <- list(
  hl_case(rnd(rnorm(8, 3, 2)), rnd(rnorm(10, 1, 2))),                       # exact
  hl_case(rnd(rexp(12, 0.2)), rnd(rexp(15, 0.4)), conf = 0.9),               # exact, 90 %
  hl_case(c(1, 2, 2, 3, 5, 5, 6), c(0, 1, 1, 2, 4)),                           # ties: normal approx.
  hl_case(rnd(rnorm(61, 12, 4)), rnd(rnorm(55, 10, 5))),                     # n >= 50: normal approx.
  hl_case(round(rnorm(80, 20, 6)), round(rnorm(73, 17, 6)), conf = 0.99),    # many ties, large
  hl_case(c(3.1, 4.2), c(1.5, 2.5, 2.8))                                     # tiny: CI at the extremes
)

# ---------------------------------------------------------------- geometric mean ratio
# exp of t.test(log(x), log(y), var.equal = TRUE, conf.level = 0.9), as in bioequivalence.
gmr_case <- function(x, y, conf = 0.9) {
  t <- t.test(log(x), log(y), var.equal = TRUE, conf.level = conf)
  list(x = x, y = y, confLevel = conf, estimate = exp(unname(t$estimate[1] - t$estimate[2])),
       ciLow = exp(t$conf.int[1]), ciHigh = exp(t$conf.int[2]), statistic = unname(t$statistic),
       df = unname(t$parameter), pValue = t$p.value)
}
gmr <- list(
  gmr_case(rnd(rlnorm(24, log(400), 0.3)), rnd(rlnorm(24, log(380), 0.3))),
  gmr_case(rnd(rlnorm(13, log(12), 0.5)), rnd(rlnorm(17, log(20), 0.4))),
  gmr_case(rnd(rlnorm(40, 2, 0.25)), rnd(rlnorm(35, 2.1, 0.25)), conf = 0.95)
)

# ---------------------------------------------------------------- 2×2 factorial interaction
# lm(y ~ A * B): the A:B coefficient, its SE, t on n - 4 df, p and CI.
factorial_case <- function(sizes, means, sd = 8, conf = 0.95) {
  cell <- rep(0:3, sizes)
  a <- as.integer(cell %in% c(1, 3))
  b <- as.integer(cell %in% c(2, 3))
  y <- rnd(means[cell + 1] + rnorm(length(cell), 0, sd))
  fit <- lm(y ~ a * b)
  s <- summary(fit)$coefficients
  ci <- confint(fit, level = conf)
  list(y = y, a = a, b = b, confLevel = conf, estimate = s["a:b", 1], stdErr = s["a:b", 2],
       statistic = s["a:b", 3], pValue = s["a:b", 4], ciLow = ci["a:b", 1], ciHigh = ci["a:b", 2],
       df = fit$df.residual, residualSd = summary(fit)$sigma)
}
factorial <- list(
  factorial_case(c(25, 25, 25, 25), c(0, -6, -8, -14)),     # additive
  factorial_case(c(12, 20, 17, 9), c(0, -6, -8, -20), conf = 0.9)  # unbalanced, synergy
)

# ---------------------------------------------------------------- probability of target attainment
# share of values in [low, high] with the Wilson interval, prop.test(x, n, correct = FALSE).
pta_case <- function(v, low, high, conf = 0.95) {
  x <- sum(v >= low & v <= high)
  p <- prop.test(x, length(v), correct = FALSE, conf.level = conf)
  list(values = v, low = low, high = high, confLevel = conf, attained = x, n = length(v),
       proportion = x / length(v), ciLow = p$conf.int[1], ciHigh = p$conf.int[2])
}
pta <- list(
  pta_case(rnd(rlnorm(50, log(500), 0.35)), 400, 600),
  pta_case(c(350, 400, 450, 600, 601, 800), 400, 600, 0.9),  # bounds inclusive
  pta_case(rnd(rlnorm(30, log(10), 0.2)), 0, 100)            # all attained
)

# ---------------------------------------------------------------- twinbench analyze on a file
# three arms (the first ANCOVA case) with a positive exposure column: what `twinbench analyze`
# must report for each arm vs placebo (tests/integration/analyze-effects.test.ts).
a1 <- ancova[[1]]
levels3 <- c("placebo", "low", "high")
auc <- rnd(rlnorm(length(a1$arm), log(c(300, 420, 560))[a1$arm + 1], 0.3))
trial <- data.frame(arm = levels3[a1$arm + 1], base = a1$baseline, y = a1$y, auc = auc)
write.csv(trial, file.path(out_dir, "three-arms.csv"), row.names = FALSE, quote = FALSE)
pair <- function(a) {
  x <- trial[trial$arm == a, ]
  p <- trial[trial$arm == "placebo", ]
  w <- wilcox.test(x$y, p$y, conf.int = TRUE)
  g <- t.test(log(x$auc), log(p$auc), var.equal = TRUE, conf.level = 0.9)
  f <- lm(y ~ I(arm == a) + base, data = rbind(x, p))
  list(arm = a,
       hodges_lehmann = list(estimate = unname(w$estimate), ciLow = w$conf.int[1], ciHigh = w$conf.int[2]),
       gmr = list(estimate = exp(unname(g$estimate[1] - g$estimate[2])), ciLow = exp(g$conf.int[1]),
                  ciHigh = exp(g$conf.int[2]), pValue = g$p.value, df = unname(g$parameter)),
       ancova_pairwise = list(estimate = unname(coef(f)[2]), ciLow = confint(f)[2, 1], ciHigh = confint(f)[2, 2],
                              pValue = summary(f)$coefficients[2, 4], df = f$df.residual))
}
all_arms <- lm(y ~ factor(arm, levels = levels3) + base, data = trial)
fileCase <- list(
  pairs = lapply(c("low", "high"), pair),
  ancova = lapply(2:3, function(k) list(arm = levels3[k], estimate = unname(coef(all_arms)[k]),
                                        ciLow = confint(all_arms)[k, 1], ciHigh = confint(all_arms)[k, 2],
                                        pValue = summary(all_arms)$coefficients[k, 4], df = all_arms$df.residual)),
  target = lapply(levels3, function(a) {
    v <- trial$auc[trial$arm == a]
    x <- sum(v >= 400 & v <= 600)
    p <- prop.test(x, length(v), correct = FALSE)
    list(arm = a, attained = x, n = length(v), ciLow = p$conf.int[1], ciHigh = p$conf.int[2])
  })
)

write_json(list(R = R.version.string, ancova = ancova, hodgesLehmann = hl, gmr = gmr,
                factorial = factorial, targetAttainment = pta, file = fileCase),
           file.path(out_dir, "effects.json"), digits = NA, auto_unbox = TRUE, na = "null",
           pretty = TRUE)
