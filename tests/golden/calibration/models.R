# The two models of the MAP calibration reference, written out in R from
# pk2cmt_oral_map.model and pk1cmt_oral_idr1_map.model (same names, typical values,
# variability and residual errors). Each has two independent routes to its predictions:
# - pk2cmt_oral: `predict` is the closed-form 2-compartment oral superposition (Gibaldi &
#   Perrier, Pharmacokinetics 2nd ed. (1982), ch. 2), `predictCheck` the ODEs by
#   deSolve::lsoda with the doses as events;
# - pk1cmt_oral_idr1: `predict` is the ODEs (depot, central, R) by deSolve::lsoda with the
#   doses as events, `predictCheck` the Bateman function for C and deSolve::radau on R alone.
# Both ODE routes run at rtol = atol = 1e-12 (Soetaert, Petzoldt & Setzer, J Stat Softw 33
# (2010) 1-25). Doses enter `depot` (F = 1, TLAG = 0 in both models).
# Sourced by make-data.R (simulation) and map-reference.R (MAP estimation).
suppressPackageStartupMessages(library(deSolve))

ODE_RTOL <- 1e-12
ODE_ATOL <- 1e-12

# Integrates `rhs` from 0 over the dose and observation times with `solver`, the doses
# added to `depot` (when the state exists) as deSolve events; rows in the order of `times`.
integrate <- function(y0, rhs, doses, times, solver = lsoda) {
  grid <- sort(unique(c(0, doses$time, times)))
  events <- if ("depot" %in% names(y0)) {
    list(data = data.frame(var = "depot", time = doses$time, value = doses$amount, method = "add"))
  }
  # lsoda's Fortran messages (printed when an optimiser tries extreme parameters) are
  # dropped here; a failed integration shows as non-finite predictions instead.
  capture.output(out <- solver(y0, grid, rhs, NULL,
    events = events, rtol = ODE_RTOL, atol = ODE_ATOL, maxsteps = 1e6
  ))
  out[match(times, out[, "time"]), , drop = FALSE]
}

# Sum over doses given at or before each time t of amount * unit(t - dose time).
superpose <- function(t, doses, unit) {
  sapply(t, function(ti) {
    given <- doses$time <= ti
    sum(doses$amount[given] * unit(ti - doses$time[given]))
  })
}

# Closed-form central concentration of the 2-compartment oral model after unit doses:
# macro-constants alpha > beta are the roots of x^2 - (k10 + k12 + k21) x + k10 k21.
pk2cmtOral <- function(t, doses, CL, V1, Q, V2, KA) {
  k10 <- CL / V1
  k12 <- Q / V1
  k21 <- Q / V2
  s <- k10 + k12 + k21
  alpha <- (s + sqrt(s^2 - 4 * k10 * k21)) / 2
  beta <- (s - sqrt(s^2 - 4 * k10 * k21)) / 2
  superpose(t, doses, function(dt) {
    KA / V1 * (
      (k21 - alpha) / ((KA - alpha) * (beta - alpha)) * exp(-alpha * dt) +
        (k21 - beta) / ((KA - beta) * (alpha - beta)) * exp(-beta * dt) +
        (k21 - KA) / ((alpha - KA) * (beta - KA)) * exp(-KA * dt))
  })
}

# Bateman function: 1-compartment oral concentration.
pk1cmtOral <- function(t, doses, CL, V, KA) {
  k <- CL / V
  superpose(t, doses, function(dt) KA / (V * (KA - k)) * (exp(-k * dt) - exp(-KA * dt)))
}

combinedSd <- function(add, prop, f) sqrt(add^2 + prop^2 * f^2)

PK2 <- list(Q = 10, V2 = 100)
IDR <- list(KA = 1, R0 = 100, KOUT = 0.1, IMAX = 0.9)
idrRate <- function(C, R, IC50) IDR$KOUT * IDR$R0 * (1 - IDR$IMAX * C / (IC50 + C)) - IDR$KOUT * R

MODELS <- list(
  # 2-compartment oral PK: CL, V1, Q, V2, KA; CL = 5 (WT / 70)^0.75; C ~ combined(0.05, 0.15).
  pk2cmt_oral = list(
    etaNames = c("CL", "V1", "KA"),
    # var 0.09, 0.04, 0.16; cor(CL, V1) = 0.3, so cov = 0.3 * sqrt(0.09 * 0.04) = 0.018.
    omega = matrix(c(
      0.09, 0.018, 0,
      0.018, 0.04, 0,
      0, 0, 0.16
    ), 3, byrow = TRUE),
    outputs = c("C"),
    typical = function(WT) c(CL = 5 * (WT / 70)^0.75, V1 = 50, KA = 1),
    predict = function(p, doses, time, output) {
      pk2cmtOral(time, doses, p[["CL"]], p[["V1"]], PK2$Q, PK2$V2, p[["KA"]])
    },
    predictCheck = function(p, doses, time, output) {
      rhs <- function(t, y, parms) {
        list(c(
          -p[["KA"]] * y[1],
          p[["KA"]] * y[1] - (p[["CL"]] + PK2$Q) / p[["V1"]] * y[2] + PK2$Q / PK2$V2 * y[3],
          PK2$Q / p[["V1"]] * y[2] - PK2$Q / PK2$V2 * y[3]
        ))
      }
      out <- integrate(c(depot = 0, central = 0, periph = 0), rhs, doses, time)
      out[, "central"] / p[["V1"]]
    },
    sd = function(output, f) combinedSd(0.05, 0.15, f)
  ),
  # 1-compartment oral PK (CL, V, KA) driving an indirect response of type I:
  # dR/dt = KOUT R0 (1 - IMAX C / (IC50 + C)) - KOUT R, R(0) = R0 (Dayneka, Garg & Jusko,
  # J Pharmacokinet Biopharm 21 (1993) 457-478). C ~ proportional(0.1), R ~ additive(4).
  pk1cmt_oral_idr1 = list(
    etaNames = c("CL", "V", "IC50"),
    omega = diag(c(0.09, 0.04, 0.25)),
    outputs = c("C", "R"),
    typical = function(WT) c(CL = 5, V = 50, IC50 = 2),
    predict = function(p, doses, time, output) {
      rhs <- function(t, y, parms) {
        list(c(
          -IDR$KA * y[1],
          IDR$KA * y[1] - p[["CL"]] / p[["V"]] * y[2],
          idrRate(y[2] / p[["V"]], y[3], p[["IC50"]])
        ))
      }
      out <- integrate(c(depot = 0, central = 0, R = IDR$R0), rhs, doses, time)
      ifelse(output == 1, out[, "central"] / p[["V"]], out[, "R"])
    },
    predictCheck = function(p, doses, time, output) {
      C <- function(t) pk1cmtOral(t, doses, p[["CL"]], p[["V"]], IDR$KA)
      rhs <- function(t, y, parms) list(idrRate(C(t), y, p[["IC50"]]))
      out <- integrate(c(R = IDR$R0), rhs, doses, time, solver = radau)
      ifelse(output == 1, C(time), out[, "R"])
    },
    sd = function(output, f) ifelse(output == 1, 0.1 * f, 4)
  )
)

# Individual parameters: lognormal variability on every eta, P = TV exp(eta).
individual <- function(model, WT, eta) model$typical(WT) * exp(eta)
