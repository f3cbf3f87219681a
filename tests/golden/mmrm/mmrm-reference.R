# Reference fits for src/lib/stats/mmrm.ts (tests/unit/stats/mmrm.test.ts).
# Makes three long-format datasets with MAR dropout (and, in the third, intermittent missing
# visits), writes them as CSV and fits each with nlme::gls (REML):
#   gls(y ~ arm*visit + baseline*visit, correlation = corSymm(form = ~ as.integer(visit) | id),
#       weights = varIdent(form = ~ 1 | visit), method = "REML", na.action = na.omit)
# (y ~ arm*visit without baseline), plus the fallback structures on the first dataset:
# heterogeneous AR(1) (corAR1 + varIdent), heterogeneous Toeplitz (corARMA(p = visits - 1) +
# varIdent: an AR(p) over p + 1 visits spans every positive-definite Toeplitz correlation, so the
# REML optimum is the same model) and compound symmetry (corCompSymm, one variance).
# Arm effects at each visit (arm - control) with Satterthwaite df from
# emmeans(fit, ~ arm | visit, mode = "satterthwaite") and contrast(..., "trt.vs.ctrl"); for gls
# emmeans uses its "appx-satterthwaite" (numerical derivatives of vcov over nlme's apVar).
# The fits use opt = "optim" (BFGS, reltol 100·eps after the first outer iteration) with tight
# tolerances: nlme's default nlminb stops ~1e-8 below the REML maximum, enough to move SEs by 1e-5.
# Run: Rscript tests/golden/mmrm/mmrm-reference.R   (from the repository root; R 4.x, nlme, emmeans)
suppressPackageStartupMessages({
  library(nlme)
  library(emmeans)
})
out_dir <- "tests/golden/mmrm"

num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
jarr <- function(x) paste0("[", paste(if (is.character(x)) paste0('"', x, '"') else num(x), collapse = ", "), "]")

make_data <- function(seed, arms, n_per_arm, visits, baseline = TRUE, intermittent = 0, na_rows = FALSE) {
  set.seed(seed)
  V <- length(visits)
  sds <- seq(4, 4 + 0.8 * (V - 1), length.out = V)
  corr <- outer(1:V, 1:V, function(i, j) 0.35 + 0.5 * 0.7^abs(i - j))
  diag(corr) <- 1
  S <- diag(sds) %*% corr %*% diag(sds)
  Lt <- chol(S)
  rows <- list()
  id <- 0
  for (a in seq_along(arms)) {
    for (k in 1:n_per_arm) {
      id <- id + 1
      b <- rnorm(1, 150, 12)
      mu <- 150 + 0.6 * (b - 150) - (1:V) * 1.5 - (a - 1) * (1:V) * 1.2
      y <- mu + as.vector(rnorm(V) %*% Lt)
      observed <- rep(TRUE, V)
      # MAR dropout: the chance to leave after a visit grows with the value observed there
      for (v in 2:V) {
        if (!observed[v - 1]) { observed[v:V] <- FALSE; break }
        if (runif(1) < plogis(-2.6 + 0.08 * (y[v - 1] - 145))) { observed[v:V] <- FALSE; break }
      }
      if (intermittent > 0) observed[2:(V - 1)] <- observed[2:(V - 1)] & runif(V - 2) > intermittent
      for (v in 1:V) {
        if (observed[v] || na_rows) {
          rows[[length(rows) + 1]] <- data.frame(
            id = sprintf("S%03d", id), arm = arms[a], visit = visits[v],
            baseline = round(b, 3), y = if (observed[v]) round(y[v], 4) else NA
          )
        }
      }
    }
  }
  d <- do.call(rbind, rows)
  if (!baseline) d$baseline <- NULL
  d
}

# Satterthwaite df written out independently of nlme and emmeans: the textbook REML log-likelihood
#   l(theta) = -1/2 [(N - p) log 2pi + sum_i log|S_i| + log|X'V^-1 X| + r'V^-1 r]
# over theta = vech(Sigma), dense per-subject algebra on model.matrix(), at nlme's Sigma-hat
# (getVarCov of a subject seen at every visit); Var(theta-hat) = solve(-numDeriv::hessian(l)),
# phi(theta) = c'(X'V^-1 X)^-1 c and df = 2 phi^2 / (grad(phi)' Var grad(phi)).
satterthwaite_df <- function(fit, d, contrasts) {
  dd <- d[!is.na(d$y), ]
  X <- model.matrix(formula(fit), dd)
  y <- dd$y
  V <- nlevels(dd$visit)
  rows <- split(seq_len(nrow(dd)), as.character(dd$id))
  full <- names(rows)[lengths(rows) == V][1]
  S_hat <- unclass(getVarCov(fit, individual = full))[1:V, 1:V]
  low <- lower.tri(S_hat, diag = TRUE)
  to_sigma <- function(theta) { S <- matrix(0, V, V); S[low] <- theta; S + t(S) - diag(diag(S)) }
  parts <- function(theta) {
    S <- to_sigma(theta)
    A <- matrix(0, ncol(X), ncol(X)); b <- rep(0, ncol(X)); yWy <- 0; logdet <- 0
    for (r in rows) {
      vis <- as.integer(dd$visit[r]); Xi <- X[r, , drop = FALSE]; Si <- S[vis, vis, drop = FALSE]
      Wi <- solve(Si)
      logdet <- logdet + as.numeric(determinant(Si)$modulus)
      A <- A + t(Xi) %*% Wi %*% Xi; b <- b + t(Xi) %*% Wi %*% y[r]; yWy <- yWy + drop(t(y[r]) %*% Wi %*% y[r])
    }
    list(A = A, b = b, yWy = yWy, logdet = logdet)
  }
  reml <- function(theta) {
    q <- parts(theta)
    beta <- solve(q$A, q$b)
    -0.5 * ((nrow(X) - ncol(X)) * log(2 * pi) + q$logdet + as.numeric(determinant(q$A)$modulus) + q$yWy - sum(q$b * beta))
  }
  theta_hat <- S_hat[low]
  check <- reml(theta_hat) - as.numeric(logLik(fit))
  if (abs(check) > 1e-6) stop("textbook REML differs from nlme's logLik by ", check)
  # first steps of 1 %: numDeriv's default 10 % can leave the positive-definite cone at 6 visits,
  # and 0.1 % lets rounding in l swamp its small second derivatives (entries of order n / Sigma^2)
  vtheta <- solve(-numDeriv::hessian(reml, theta_hat, method.args = list(d = 1e-2, r = 4)))
  sapply(contrasts, function(cvec) {
    phi <- function(theta) drop(t(cvec) %*% solve(parts(theta)$A, cvec))
    g <- numDeriv::grad(phi, theta_hat)
    2 * phi(theta_hat)^2 / drop(t(g) %*% vtheta %*% g)
  })
}

json_case <- function(name, file, d, visits, arms, control, baseline, fits) {
  parts <- c()
  for (fit_name in names(fits)) {
    fit <- fits[[fit_name]]
    cf <- coef(fit)
    V <- vcov(fit)
    effects <- c()
    cvecs <- list()
    for (k in 2:length(arms)) for (v in seq_along(visits)) {
      cvec <- setNames(rep(0, length(cf)), names(cf))
      cvec[paste0("arm", arms[k])] <- 1
      if (v > 1) cvec[paste0("arm", arms[k], ":visit", visits[v])] <- 1
      cvecs[[length(cvecs) + 1]] <- cvec
    }
    satt <- if (fit_name == "unstructured") satterthwaite_df(fit, d, cvecs) else rep(NA, length(cvecs))
    emm <- emmeans(fit, ~ arm | visit, mode = "satterthwaite", data = d[!is.na(d$y), ])
    con <- as.data.frame(summary(contrast(emm, "trt.vs.ctrl", ref = 1), infer = c(TRUE, TRUE), adjust = "none"))
    n <- 0
    for (k in 2:length(arms)) {
      for (v in seq_along(visits)) {
        n <- n + 1
        cvec <- cvecs[[n]]
        est <- sum(cvec * cf)
        se <- sqrt(drop(t(cvec) %*% V %*% cvec))
        row <- con[con$visit == visits[v] & grepl(paste0("^", arms[k], " - "), con$contrast), ]
        effects <- c(effects, sprintf(
          '{"arm": "%s", "visit": "%s", "estimate": %s, "stdErr": %s, "emmeansEstimate": %s, "emmeansStdErr": %s, "emmeansDf": %s, "satterthwaiteDf": %s}',
          arms[k], visits[v], num(est), num(se), num(row$estimate), num(row$SE), num(row$df), num(satt[n])
        ))
      }
    }
    parts <- c(parts, sprintf(
      '"%s": {"coefNames": %s, "coef": %s, "se": %s, "logLik": %s, "effects": [%s]}',
      fit_name, jarr(names(cf)), jarr(unname(cf)), jarr(sqrt(diag(V))), num(as.numeric(logLik(fit))),
      paste(effects, collapse = ", ")
    ))
  }
  sprintf(
    '{"name": "%s", "file": "%s", "visits": %s, "arms": %s, "control": "%s", "baseline": %s, "nRows": %d, "fits": {%s}}',
    name, file, jarr(visits), jarr(arms), control, if (baseline) "true" else "false", nrow(d),
    paste(parts, collapse = ", ")
  )
}

fit_gls <- function(d, baseline, correlation, weights, opt = "optim") {
  d$arm <- factor(d$arm, levels = attr(d, "arms"))
  d$visit <- factor(d$visit, levels = attr(d, "visits"))
  f <- if (baseline) y ~ arm * visit + baseline * visit else y ~ arm * visit
  # eval with the formula and structures inlined so that emmeans can re-evaluate the call
  eval(bquote(gls(.(f), data = d, correlation = .(correlation), weights = .(weights),
                  method = "REML", na.action = na.omit,
                  control = glsControl(msMaxIter = 1000, tolerance = 1e-12, msTol = 1e-14, opt = .(opt)))))
}

cases <- list(
  list(name = "two-arms-4-visits", seed = 1301, arms = c("placebo", "active"), n = 60,
       visits = c("week4", "week8", "week12", "week16"), baseline = TRUE, intermittent = 0, na_rows = FALSE),
  list(name = "three-arms-5-visits", seed = 1302, arms = c("control", "low", "high"), n = 50,
       visits = c("v1", "v2", "v3", "v4", "v5"), baseline = TRUE, intermittent = 0, na_rows = FALSE),
  list(name = "no-baseline-6-visits", seed = 1303, arms = c("placebo", "drug"), n = 70,
       visits = c("w2", "w4", "w6", "w8", "w10", "w12"), baseline = FALSE, intermittent = 0.08, na_rows = TRUE)
)

json <- c()
for (cs in cases) {
  d <- make_data(cs$seed, cs$arms, cs$n, cs$visits, cs$baseline, cs$intermittent, cs$na_rows)
  file <- paste0(cs$name, ".csv")
  write.csv(d, file.path(out_dir, file), row.names = FALSE, na = "")
  attr(d, "arms") <- cs$arms
  attr(d, "visits") <- cs$visits
  dd <- d
  dd$arm <- factor(dd$arm, levels = cs$arms)
  dd$visit <- factor(dd$visit, levels = cs$visits)
  attr(dd, "arms") <- cs$arms
  attr(dd, "visits") <- cs$visits
  fits <- list(unstructured = fit_gls(dd, cs$baseline, quote(corSymm(form = ~ as.integer(visit) | id)),
                                      quote(varIdent(form = ~ 1 | visit))))
  if (cs$name == "two-arms-4-visits") {
    p <- length(cs$visits) - 1
    fits[["heterogeneous-toeplitz"]] <- fit_gls(dd, cs$baseline,
      bquote(corARMA(form = ~ as.integer(visit) | id, p = .(p))), quote(varIdent(form = ~ 1 | visit)),
      opt = "nlminb") # optim steps corARMA outside stationarity
    fits[["heterogeneous-ar1"]] <- fit_gls(dd, cs$baseline, quote(corAR1(form = ~ as.integer(visit) | id)),
                                           quote(varIdent(form = ~ 1 | visit)))
    fits[["compound-symmetry"]] <- fit_gls(dd, cs$baseline, quote(corCompSymm(form = ~ 1 | id)), NULL)
  }
  json <- c(json, json_case(cs$name, file, dd, cs$visits, cs$arms, cs$arms[1], cs$baseline, fits))
}
writeLines(c(
  sprintf('{"generatedBy": "tests/golden/mmrm/mmrm-reference.R", "R": "%s", "nlme": "%s", "emmeans": "%s",',
          R.version$version.string, packageVersion("nlme"), packageVersion("emmeans")),
  sprintf(' "cases": [%s]}', paste(json, collapse = ",\n"))
), file.path(out_dir, "mmrm-expected.json"))
