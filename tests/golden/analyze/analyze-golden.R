# Golden values for `twinbench analyze` (src/lib/analysis/compare*.ts), computed with base R
# (stats), survival and multcomp on a small 3-arm dataset.
# Run from the repository root:  Rscript tests/golden/analyze/analyze-golden.R
# Writes trial.csv (the data) and one expected JSON per endpoint type, in the shape that
# `twinbench analyze trial.csv --format json` prints (fields not computed by R are omitted).
suppressPackageStartupMessages({
  library(jsonlite)
  library(survival)
  library(multcomp)
})
out_dir <- "tests/golden/analyze"
save <- function(x, name) {
  write_json(x, file.path(out_dir, paste0(name, ".json")), digits = NA, auto_unbox = TRUE,
             na = "null", null = "null", pretty = TRUE)
}
num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NA else unname(x)

set.seed(20260214)
arms <- c("placebo", "low", "high")
n <- c(placebo = 14, low = 12, high = 13)
arm <- rep(arms, times = n[arms])
N <- length(arm)
shift <- c(placebo = 0, low = -4, high = -9)[arm]
baseline <- round(rnorm(N, 150, 12), 1)
y <- round(0.6 * baseline + 60 + shift + rnorm(N, 0, 8), 1)
# binary: no responders on 'low' (a zero cell against placebo)
p_resp <- c(placebo = 0.3, low = 0, high = 0.6)[arm]
resp <- as.integer(runif(N) < p_resp)
resp[arm == "placebo"][1:4] <- c(1L, 0L, 1L, 0L) # at least one responder and non-responder
resp[arm == "high"][1:8] <- c(1L, 0L, 1L, 1L, 1L, 0L, 1L, 1L)
# time to event (days) with administrative censoring at 365 and some random dropout
rate <- c(placebo = 1 / 200, low = 1 / 300, high = 1 / 450)[arm]
t_event <- rexp(N, rate)
t_drop <- runif(N, 100, 900)
time <- ceiling(pmin(t_event, t_drop, 365) / 7) * 7 # whole weeks (in days): tied times, Efron ≠ Breslow
event <- as.integer(t_event <= pmin(t_drop, 365))
# missing values: one outcome on 'low', one baseline on 'high', one binary on 'placebo'
y[which(arm == "low")[3]] <- NA
baseline[which(arm == "high")[5]] <- NA
resp[which(arm == "placebo")[7]] <- NA
data <- data.frame(id = seq_len(N), arm, baseline, y, resp, time, event)
write.csv(data, file.path(out_dir, "trial.csv"), row.names = FALSE, na = "")
meta <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
             multcomp = as.character(packageVersion("multcomp")))

row <- function(a, control, method, estimate = NA, ciLow = NA, ciHigh = NA, pValue = NA,
                statistic = NA, df = NA, pAdjusted = NA) {
  list(arm = a, control = if (is.na(control)) NULL else control, method = method,
       estimate = num(estimate), ciLow = num(ciLow), ciHigh = num(ciHigh), pValue = num(pValue),
       statistic = num(statistic), df = num(df), pAdjusted = num(pAdjusted))
}
active <- arms[-1]

# ---------------------------------------------------------------- continuous (with baseline)
ok <- !is.na(y) & !is.na(baseline)
cont_arms <- lapply(arms, function(a) {
  x <- y[ok & arm == a]
  tt <- t.test(x)
  q <- quantile(x, c(0.25, 0.75), type = 7)
  list(arm = a, n = length(x), missing = sum(!ok & arm == a), mean = mean(x), sd = sd(x),
       se = sd(x) / sqrt(length(x)), median = median(x), q1 = unname(q[1]), q3 = unname(q[2]),
       min = min(x), max = max(x), ciLow = tt$conf.int[1], ciHigh = tt$conf.int[2])
})
cont_rows <- list()
ancova_p <- c()
for (a in active) {
  x <- y[ok & arm == a]; z <- y[ok & arm == "placebo"]
  w <- t.test(x, z); s <- t.test(x, z, var.equal = TRUE); mw <- wilcox.test(x, z)
  # Hodges–Lehmann with its CI (exact or normal approximation as R chooses; uniroot at tol.root 1e-4)
  hl <- wilcox.test(x, z, conf.int = TRUE)
  d <- data.frame(y = y, baseline = baseline, trt = as.numeric(arm == a))[ok & arm %in% c(a, "placebo"), ]
  fit <- lm(y ~ trt + baseline, data = d)
  co <- summary(fit)$coefficients["trt", ]
  cf <- confint(fit)["trt", ]
  cont_rows <- c(cont_rows, list(
    row(a, "placebo", "welch_t", w$estimate[1] - w$estimate[2], w$conf.int[1], w$conf.int[2], w$p.value, w$statistic, w$parameter),
    row(a, "placebo", "student_t", s$estimate[1] - s$estimate[2], s$conf.int[1], s$conf.int[2], s$p.value, s$statistic, s$parameter),
    row(a, "placebo", "mann_whitney", pValue = mw$p.value, statistic = mw$statistic),
    row(a, "placebo", "hodges_lehmann", hl$estimate, hl$conf.int[1], hl$conf.int[2]),
    row(a, "placebo", "ancova_pairwise", co[1], cf[1], cf[2], co[4], co[3], fit$df.residual)
  ))
}
# ANCOVA with all arms in one model (the primary): lm(y ~ arm + baseline), placebo the reference
all_fit <- lm(y ~ g + baseline, data = data.frame(y = y, baseline = baseline, g = factor(arm, levels = arms))[ok, ])
for (a in active) {
  co <- summary(all_fit)$coefficients[paste0("g", a), ]
  cf <- confint(all_fit)[paste0("g", a), ]
  ancova_p[a] <- co[4]
  cont_rows <- c(cont_rows, list(row(a, "placebo", "ancova", co[1], cf[1], cf[2], co[4], co[3], all_fit$df.residual)))
}
adj <- p.adjust(ancova_p, "holm")
for (i in seq_along(cont_rows)) if (cont_rows[[i]]$method == "ancova") cont_rows[[i]]$pAdjusted <- unname(adj[cont_rows[[i]]$arm])
dd <- data.frame(y = y[ok], g = factor(arm[ok], levels = arms))
# Dunnett: statistics from multcomp::glht; the adjusted p-values and the critical value are
# re-computed with mvtnorm::pmvt at a much tighter error (~1e-8) than summary.glht's default
# (abseps = 1e-3), as in tests/golden/stats/stats-golden.R
gl <- glht(lm(y ~ g, data = dd), linfct = mcp(g = "Dunnett"))
gs <- summary(gl, test = univariate())
corr <- cov2cor(vcov(gl))
k <- length(active)
cover <- function(t) {
  set.seed(12)
  pmvt(lower = -rep(t, k), upper = rep(t, k), df = gl$df, corr = corr,
       algorithm = GenzBretz(maxpts = 2e7, abseps = 1e-10, releps = 0))[1]
}
crit <- uniroot(function(t) cover(t) - 0.95, c(1, 5), tol = 1e-10)$root
dunnett <- lapply(seq_along(active), function(i) {
  est <- unname(gs$test$coefficients[i]); se <- unname(gs$test$sigma[i]); t <- unname(gs$test$tstat[i])
  list(arm = active[i], control = "placebo", estimate = est, ciLow = est - crit * se, ciHigh = est + crit * se,
       pAdjusted = 1 - cover(abs(t)), statistic = t, df = gl$df)
})
save(list(meta = meta, expected = list(endpoint = "y", type = "continuous", control = "placebo",
  primary = "ancova", arms = cont_arms, comparisons = cont_rows, dunnett = dunnett)), "continuous")

# ---------------------------------------------------------------- binary (zero cell on 'low')
okb <- !is.na(resp)
bin_arms <- lapply(arms, function(a) {
  x <- resp[okb & arm == a]
  pt <- prop.test(sum(x), length(x), correct = FALSE)
  list(arm = a, n = length(x), missing = sum(!okb & arm == a), events = sum(x), proportion = mean(x),
       ciLow = pt$conf.int[1], ciHigh = pt$conf.int[2])
})
wilson <- function(x, n) prop.test(x, n, correct = FALSE)$conf.int
zq <- qnorm(0.975)
bin_rows <- list()
chisq_p <- c()
for (a in active) {
  x1 <- sum(resp[okb & arm == a]); n1 <- sum(okb & arm == a)
  x0 <- sum(resp[okb & arm == "placebo"]); n0 <- sum(okb & arm == "placebo")
  p1 <- x1 / n1; p0 <- x0 / n0; rd <- p1 - p0
  se <- sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
  w1 <- wilson(x1, n1); w0 <- wilson(x0, n0)
  nc_lo <- rd - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2)
  nc_hi <- rd + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2)
  # risk ratio (Katz log interval; 0.5 added to every cell when an arm has no events)
  cc <- if (x1 == 0 || x0 == 0) 0.5 else 0
  lrr <- log((x1 + cc) / (n1 + 2 * cc)) - log((x0 + cc) / (n0 + 2 * cc))
  serr <- sqrt(1 / (x1 + cc) - 1 / (n1 + 2 * cc) + 1 / (x0 + cc) - 1 / (n0 + 2 * cc))
  # odds ratio: Woolf, Haldane-Anscombe (0.5 to every cell) when a cell is zero
  tab <- matrix(c(x1, n1 - x1, x0, n0 - x0), 2, byrow = TRUE)
  zero <- any(tab == 0)
  tc <- tab + if (zero) 0.5 else 0
  lor <- log(tc[1, 1] * tc[2, 2] / (tc[1, 2] * tc[2, 1]))
  seor <- sqrt(sum(1 / tc))
  ft <- fisher.test(tab) # p-value; its MLE and interval use uniroot's default tolerance (~1e-4),
  # so the same equations are re-solved here to 1e-13 (as tests/golden/stats/stats-golden.R)
  m <- sum(tab[, 1]); nn <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
  lo <- max(0, k - nn); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, nn, k, log = TRUE)
  dn <- function(lt) { d <- logdc + lt * support; d <- exp(d - max(d)); d / sum(d) }
  solve <- function(f) exp(uniroot(f, c(-50, 50), tol = 1e-13)$root)
  f_mle <- if (x == lo) 0 else if (x == hi) NA else solve(function(t) sum(support * dn(t)) - x)
  f_lo <- if (x == lo) 0 else solve(function(t) sum(dn(t)[support >= x]) - 0.025)
  f_hi <- if (x == hi) NA else solve(function(t) sum(dn(t)[support <= x]) - 0.025)
  stopifnot(abs(f_mle - ft$estimate) <= 1e-3 * ft$estimate, abs(f_lo - ft$conf.int[1]) <= 1e-3 * ft$conf.int[1])
  c0 <- suppressWarnings(chisq.test(tab, correct = FALSE))
  c1 <- suppressWarnings(chisq.test(tab, correct = TRUE))
  chisq_p[a] <- c0$p.value
  bin_rows <- c(bin_rows, list(
    row(a, "placebo", "risk_difference_wald", rd, rd - zq * se, rd + zq * se, 2 * pnorm(-abs(rd / se)), rd / se),
    row(a, "placebo", "risk_difference_newcombe", rd, nc_lo, nc_hi),
    row(a, "placebo", "risk_ratio", exp(lrr), exp(lrr - zq * serr), exp(lrr + zq * serr), 2 * pnorm(-abs(lrr / serr)), lrr / serr),
    row(a, "placebo", if (zero) "odds_ratio_haldane" else "odds_ratio_woolf", exp(lor), exp(lor - zq * seor),
        exp(lor + zq * seor), 2 * pnorm(-abs(lor / seor)), lor / seor),
    row(a, "placebo", "fisher_exact", f_mle, f_lo, f_hi, ft$p.value),
    row(a, "placebo", "chi_square", pValue = c0$p.value, statistic = c0$statistic, df = c0$parameter),
    row(a, "placebo", "chi_square_yates", pValue = c1$p.value, statistic = c1$statistic, df = c1$parameter)
  ))
}
adj <- p.adjust(chisq_p, "holm")
for (i in seq_along(bin_rows)) if (bin_rows[[i]]$method == "chi_square") bin_rows[[i]]$pAdjusted <- unname(adj[bin_rows[[i]]$arm])
save(list(meta = meta, expected = list(endpoint = "resp", type = "binary", control = "placebo",
  primary = "chi_square", arms = bin_arms, comparisons = bin_rows)), "binary")

# ---------------------------------------------------------------- time to event (censored)
km <- function(a) summary(survfit(Surv(time, event) ~ 1, subset = arm == a))$table
tte_arms <- lapply(arms, function(a) {
  tb <- km(a)
  list(arm = a, n = sum(arm == a), missing = 0, events = sum(event[arm == a]),
       median = num(tb["median"]), ciLow = num(tb["0.95LCL"]), ciHigh = num(tb["0.95UCL"]))
})
tte_rows <- list()
lr_p <- c()
for (a in active) {
  d <- data.frame(time, event, trt = as.numeric(arm == a))[arm %in% c(a, "placebo"), ]
  sd <- survdiff(Surv(time, event) ~ trt, data = d)
  lr_df <- length(sd$n) - 1
  lr_p[a] <- pchisq(sd$chisq, lr_df, lower.tail = FALSE)
  tte_rows <- c(tte_rows, list(row(a, "placebo", "log_rank", pValue = lr_p[a], statistic = sd$chisq, df = lr_df)))
  for (ties in c("efron", "breslow")) {
    fit <- coxph(Surv(time, event) ~ trt, data = d, ties = ties)
    s <- summary(fit)
    tte_rows <- c(tte_rows, list(row(a, "placebo", paste0("cox_", ties), s$conf.int[1, "exp(coef)"],
      s$conf.int[1, "lower .95"], s$conf.int[1, "upper .95"], s$coefficients[1, "Pr(>|z|)"], s$coefficients[1, "z"])))
  }
}
adj <- p.adjust(lr_p, "holm")
for (i in seq_along(tte_rows)) if (tte_rows[[i]]$method == "log_rank") tte_rows[[i]]$pAdjusted <- unname(adj[tte_rows[[i]]$arm])
for (i in seq_along(arms)) {
  a <- tte_arms[[i]]
  tte_rows <- c(tte_rows, list(row(a$arm, NA, "km_median", a$median, a$ciLow, a$ciHigh)))
}
save(list(meta = meta, expected = list(endpoint = "os", type = "tte", control = "placebo",
  primary = "log_rank", arms = tte_arms, comparisons = tte_rows)), "tte")
