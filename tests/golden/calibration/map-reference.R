# MAP estimates of every patient in pk2cmt_oral.csv and pk1cmt_oral_idr1.csv: the
# independent reference for the engine's calibration (issue #12, "Validation").
# Objective (as mapbayr/posologyr and NONMEM's POSTHOC), for eta in R^nEta:
#   OFV(eta) = sum_j c_j + eta' Omega^-1 eta,
#   c_j = ((y - f) / sd)^2 + log(2 pi sd^2)          for a quantified observation,
#   c_j = -2 log Phi((LLOQ - f) / sd)                for BLQ (M3, Beal, J Pharmacokinet
#                                                     Pharmacodyn 28 (2001) 481-504),
# with f the model's prediction at the individual parameters TV exp(eta), sd the output's
# residual-error sd at f, and no log det Omega term.
# The minimum is found by optim(rep(0, nEta), ofv, method = "BFGS", control = list(reltol =
# 1e-14, maxit = 5000)), polished by a second BFGS from that solution with finite-difference
# steps of 1e-5 (optim's default 1e-3 bounds the accuracy of its gradient), and Nelder-Mead
# if BFGS reports non-convergence. Laplace covariance: 2 solve(optimHess(eta, ofv)), as OFV
# is -2 log posterior. Writes map-reference.json and the session log map-reference.Rout.
# Run from this folder after make-data.R: Rscript map-reference.R
suppressPackageStartupMessages(library(jsonlite))
source("models.R")
sink("map-reference.Rout", split = TRUE)
cat(R.version.string, "; deSolve", as.character(packageVersion("deSolve")), "\n\n")

DATA_FILES <- c(pk2cmt_oral = "pk2cmt_oral.csv", pk1cmt_oral_idr1 = "pk1cmt_oral_idr1.csv")
MODEL_FILES <- c(pk2cmt_oral = "pk2cmt_oral_map.model", pk1cmt_oral_idr1 = "pk1cmt_oral_idr1_map.model")

# One patient's doses (ADDL expanded: TIME + k II, k = 0..ADDL) and observations.
readPatients <- function(file) {
  d <- read.csv(file, na.strings = ".")
  if (is.null(d$II)) d$II <- 0
  if (is.null(d$ADDL)) d$ADDL <- 0
  lapply(split(d, d$ID), function(p) {
    dr <- p[p$EVID == 1, ]
    doses <- do.call(rbind, lapply(seq_len(nrow(dr)), function(k) {
      data.frame(time = dr$TIME[k] + (0:dr$ADDL[k]) * dr$II[k], amount = dr$AMT[k])
    }))
    ob <- p[p$EVID == 0, ]
    list(
      id = as.character(p$ID[1]), WT = p$WT[1], doses = doses[order(doses$time), ],
      time = ob$TIME, output = ob$CMT, value = ob$DV, blq = ob$BLQ == 1, lloq = ob$LLOQ
    )
  })
}

observationObjective <- function(y, f, sd, blq, lloq) {
  ifelse(blq, -2 * pnorm((lloq - f) / sd, log.p = TRUE), ((y - f) / sd)^2 + log(2 * pi * sd^2))
}

makeOfv <- function(model, patient) {
  omegaInv <- solve(model$omega)
  function(eta) {
    # Far outside the prior (where an optimiser's first line-search steps can land) the
    # ODEs may not be solvable: the objective is then +Inf and BFGS steps back.
    if (any(abs(eta) > 10)) {
      return(Inf)
    }
    p <- individual(model, patient$WT, eta)
    f <- model$predict(p, patient$doses, patient$time, patient$output)
    if (!all(is.finite(f))) {
      return(Inf)
    }
    sd <- model$sd(patient$output, f)
    sum(observationObjective(patient$value, f, sd, patient$blq, patient$lloq)) +
      drop(t(eta) %*% omegaInv %*% eta)
  }
}

fitPatient <- function(name, patient) {
  model <- MODELS[[name]]
  ofv <- makeOfv(model, patient)
  n <- length(model$etaNames)
  fit <- optim(rep(0, n), ofv, method = "BFGS", control = list(reltol = 1e-14, maxit = 5000))
  fit <- optim(fit$par, ofv,
    method = "BFGS",
    control = list(reltol = 1e-14, maxit = 5000, ndeps = rep(1e-5, n))
  )
  if (fit$convergence != 0) {
    fit <- optim(fit$par, ofv, method = "Nelder-Mead", control = list(reltol = 1e-14, maxit = 20000))
  }
  # Other starts: the MAP must be the global minimum, not a local one near 0.
  for (start in list(rep(0.7, n), rep(-0.7, n), c(0.7, -0.7, 0.7)[1:n])) {
    other <- optim(start, ofv, method = "BFGS", control = list(reltol = 1e-14, maxit = 5000))
    if (other$value < fit$value - 1e-6) {
      cat("  patient", patient$id, ": a lower minimum from start", start, ":", other$value, "<", fit$value, "\n")
    }
  }
  # Logged only: at the ODE model's noise (~1e-9 in OFV) a numerical gradient is ~1e-5.
  grad <- numDeriv::grad(ofv, fit$par)
  hess <- optimHess(fit$par, ofv)
  eta <- fit$par
  p <- individual(model, patient$WT, eta)
  ipred <- model$predict(p, patient$doses, patient$time, patient$output)
  # The other route to the predictions at the MAP (closed form vs ODE).
  other <- model$predictCheck(p, patient$doses, patient$time, patient$output)
  routes <- max(abs(ipred - other) / abs(other))
  stopifnot(routes < 1e-7)
  cat(sprintf(
    "  %s %-3s ofv %.10f  ofv(0) %.6f  conv %d  max|grad| %.1e  routes %.0e  eta %s\n",
    name, patient$id, fit$value, ofv(rep(0, n)), fit$convergence, max(abs(grad)), routes,
    paste(sprintf("%.8f", eta), collapse = " ")
  ))
  list(
    eta = eta,
    parameters = as.list(p),
    typical = as.list(model$typical(patient$WT)),
    ofv = fit$value,
    ofvAtZero = ofv(rep(0, n)),
    covariance = 2 * solve(hess),
    convergence = fit$convergence,
    ipred = ipred,
    pred = model$predict(individual(model, patient$WT, rep(0, n)), patient$doses, patient$time, patient$output)
  )
}

patients <- lapply(DATA_FILES, readPatients)

# --- Independent check of the objective at eta = 0, term by term ------------------------
# Each model's other route to its predictions (models.R: predictCheck) and the c_j written
# out: model a's BLQ patient (M3 terms by log(pnorm())), model b's patient 1.
handOfv <- function(model, pt) {
  f <- model$predictCheck(individual(model, pt$WT, c(0, 0, 0)), pt$doses, pt$time, pt$output)
  sd <- model$sd(pt$output, f)
  quantified <- ((pt$value - f) / sd)^2 + log(2 * pi * sd^2)
  censored <- -2 * log(pnorm((pt$lloq - f) / sd))
  sum(quantified[!pt$blq]) + sum(censored[pt$blq])
}
for (check in list(list("pk2cmt_oral", "2"), list("pk1cmt_oral_idr1", "1"))) {
  model <- MODELS[[check[[1]]]]
  pt <- patients[[check[[1]]]][[check[[2]]]]
  byHand <- handOfv(model, pt)
  viaOfv <- makeOfv(model, pt)(c(0, 0, 0))
  cat(sprintf("check %s patient %s OFV(0): by hand %.12f, objective %.12f\n", check[[1]], check[[2]], byHand, viaOfv))
  stopifnot(abs(byHand - viaOfv) < 1e-8 * abs(byHand))
}
cat("\n")

# --- MAP estimates -----------------------------------------------------------------------
result <- list(
  description = paste(
    "MAP estimates (R optim BFGS on the OFV of map-reference.R; ODEs by deSolve::lsoda,",
    "rtol = atol = 1e-12) of every patient in each data file; eta in the model's variability",
    "order; parameters = TV exp(eta) with the covariate effect; covariance = 2 solve(optimHess)."
  ),
  R = R.version.string,
  deSolve = as.character(packageVersion("deSolve")),
  models = list()
)
for (name in names(DATA_FILES)) {
  model <- MODELS[[name]]
  cat(name, "\n")
  fits <- lapply(patients[[name]], function(pt) fitPatient(name, pt))
  result$models[[name]] <- list(
    modelFile = MODEL_FILES[[name]],
    dataFile = DATA_FILES[[name]],
    etaNames = model$etaNames,
    omega = model$omega,
    patients = fits
  )
}
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), "map-reference.json")
sink()
