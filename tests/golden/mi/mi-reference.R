# Reference values for the missing-data analyses of src/lib/stats (tests/golden/mi.test.ts).
#
# 1. Rubin's rules: fixed sets of (estimate, variance) pooled by mice (R package mice 3.15):
#    mice::pool.scalar(Q, U, n = dfcom + 1, k = 1) gives qbar, ubar, b, t, df (Barnard & Rubin
#    1999), riv and fmi; the test statistic, two-sided p and CI are formed as
#    mice:::summary.mipo does (t = qbar / sqrt(t), p = 2 pt(-|t|, df), qbar ± qt(.975, df) sqrt(t)).
#    The sets are drawn from a seeded simulation (m = 5 and m = 20, finite and infinite
#    complete-data df, and m = 3 with identical estimates, where B = 0 and mice bounds λ below
#    by 1e-4). A last case pools lm fits on mice(nhanes, method = "norm") imputations with
#    mice::pool and summary(pool(fit), conf.int = TRUE), its inputs stored as fixed numbers.
# 2. Single imputation and the visit ANCOVA: a three-arm, five-visit dataset with MAR dropout and
#    intermittent missing values (data.csv); LOCF (every missing value replaced by the last
#    observed one before it, or by the baseline), BOCF (every missing value replaced by the
#    baseline) and completers (subjects observed at the visit), each analysed by
#    lm(y ~ arm + baseline) at a visit (and lm(y ~ arm) once), arm effects vs control from
#    summary() and confint().
# Run from the repository root: Rscript tests/golden/mi/mi-reference.R   (R 4.x, mice, jsonlite)
suppressPackageStartupMessages({
  library(mice)
  library(jsonlite)
})
out_dir <- "tests/golden/mi"

pooled_tests <- function(p, conf = 0.95) {
  se <- sqrt(p$t)
  stat <- p$qbar / se
  q <- qt(1 - (1 - conf) / 2, p$df)
  list(
    stdErr = se, statistic = stat, pValue = 2 * pt(abs(stat), p$df, lower.tail = FALSE),
    ciLow = p$qbar - q * se, ciHigh = p$qbar + q * se
  )
}

scalar_case <- function(name, Q, U, dfcom) {
  p <- pool.scalar(Q, U, n = dfcom + 1, k = 1)
  lambda <- (1 + 1 / p$m) * p$b / p$t
  list(
    name = name, estimates = Q, variances = U, dfComplete = if (is.finite(dfcom)) dfcom else NA,
    expected = c(list(
      m = p$m, estimate = p$qbar, withinVariance = p$ubar, betweenVariance = p$b, totalVariance = p$t,
      df = p$df, riv = p$r, lambda = lambda, fmi = p$fmi
    ), pooled_tests(p))
  )
}

set.seed(2013)
cases <- list()
draw_set <- function(m, se, spread) {
  list(Q = 1.5 + rnorm(m, 0, spread), U = se^2 * rchisq(m, 60) / 60)
}
s <- draw_set(5, 0.4, 0.25)
cases[[1]] <- scalar_case("m5-dfcom96", s$Q, s$U, 96)
s <- draw_set(20, 0.3, 0.12)
cases[[2]] <- scalar_case("m20-dfcomInf", s$Q, s$U, Inf)
s <- draw_set(20, 0.5, 0.6)
cases[[3]] <- scalar_case("m20-dfcom30", s$Q, s$U, 30)
s <- draw_set(5, 0.2, 0.01)
cases[[4]] <- scalar_case("m5-dfcom996-small-b", s$Q, s$U, 996)
cases[[5]] <- scalar_case("m3-equal-estimates", c(0.7, 0.7, 0.7), c(0.04, 0.05, 0.045), 50)

# mice end to end on its own example data: the per-imputation estimates and variances are stored,
# the pooled values come from pool() and summary.mipo
imp <- mice(nhanes, m = 5, method = "norm", seed = 31, printFlag = FALSE)
fit <- with(imp, lm(chl ~ bmi + age))
pooled <- pool(fit)
sm <- summary(pooled, conf.int = TRUE)
per <- summary(fit$analyses[[1]])
for (term in c("bmi", "age")) {
  Q <- sapply(fit$analyses, function(f) coef(f)[[term]])
  U <- sapply(fit$analyses, function(f) vcov(f)[term, term])
  row <- pooled$pooled[pooled$pooled$term == term, ]
  srow <- sm[sm$term == term, ]
  cases[[length(cases) + 1]] <- list(
    name = paste0("nhanes-lm-", term), estimates = Q, variances = U, dfComplete = row$dfcom,
    expected = list(
      m = row$m, estimate = row$estimate, withinVariance = row$ubar, betweenVariance = row$b,
      totalVariance = row$t, df = row$df, riv = row$riv, lambda = row$lambda, fmi = row$fmi,
      stdErr = srow$std.error, statistic = srow$statistic, pValue = srow$p.value,
      ciLow = srow[["2.5 %"]], ciHigh = srow[["97.5 %"]]
    )
  )
}
writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), file.path(out_dir, "rubins-rules.json"))

# ---- 2. single imputation and the visit ANCOVA --------------------------------------------
set.seed(1352)
arms <- c("placebo", "low", "high")
n <- 90
V <- 5
sds <- 3 + 0.4 * (0:(V - 1))
corr <- outer(1:V, 1:V, function(i, j) 0.6^abs(i - j))
L <- t(chol(diag(sds) %*% corr %*% diag(sds)))
rows <- list()
for (i in 1:n) {
  a <- arms[(i - 1) %% 3 + 1]
  b <- round(rnorm(1, 8, 1), 2)
  eff <- c(placebo = 0, low = -0.3, high = -0.6)[[a]]
  y <- round(8 + 0.7 * (b - 8) - 0.2 * (1:V) + eff * (1:V) + as.vector(L %*% rnorm(V)) / 3, 2)
  dropped <- FALSE
  for (v in 1:V) {
    miss <- dropped || (v < V && runif(1) < 0.08)
    if (!dropped && v < V && runif(1) < plogis(-3 + 0.9 * (y[v] - 8))) dropped <- TRUE
    rows[[length(rows) + 1]] <- data.frame(id = i, arm = a, visit = v, baseline = b, y = if (miss) NA else y[v])
  }
}
d <- do.call(rbind, rows)
write.csv(d, file.path(out_dir, "data.csv"), row.names = FALSE, na = "")

wide <- reshape(d, idvar = c("id", "arm", "baseline"), timevar = "visit", direction = "wide")
Y <- as.matrix(wide[, paste0("y.", 1:V)])
locf <- Y
bocf <- Y
for (i in seq_len(nrow(Y))) {
  last <- wide$baseline[i]
  for (v in 1:V) {
    if (is.na(Y[i, v])) locf[i, v] <- last else last <- Y[i, v]
    if (is.na(Y[i, v])) bocf[i, v] <- wide$baseline[i]
  }
}
arm_f <- factor(wide$arm, levels = arms)

fit_visit <- function(name, Ymat, visit, baseline = TRUE) {
  y <- Ymat[, visit]
  keep <- !is.na(y)
  f <- if (baseline) lm(y[keep] ~ arm_f[keep] + wide$baseline[keep]) else lm(y[keep] ~ arm_f[keep])
  co <- summary(f)$coefficients
  ci <- confint(f)
  effects <- lapply(arms[-1], function(a) {
    r <- paste0("arm_f[keep]", a)
    list(
      arm = a, estimate = co[r, 1], stdErr = co[r, 2], statistic = co[r, 3], pValue = co[r, 4],
      ciLow = ci[r, 1], ciHigh = ci[r, 2]
    )
  })
  list(
    name = name, visit = as.character(visit), baseline = baseline, n = sum(keep),
    df = f$df.residual, residualSd = summary(f)$sigma, effects = effects
  )
}
analyses <- list(
  fit_visit("completers", Y, V),
  fit_visit("locf", locf, V),
  fit_visit("bocf", bocf, V),
  fit_visit("locf", locf, 3),
  fit_visit("completers", Y, V, baseline = FALSE)
)
writeLines(toJSON(analyses, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out_dir, "single-imputation.json"))
