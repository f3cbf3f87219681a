# Reference profiles for the model-language golden tests: the equations of the .model
# files beside this script, integrated by deSolve::lsoda at rtol = atol = 1e-12.
# Run from this folder: Rscript deSolveReference.R (writes deSolve_reference.csv).
library(deSolve)

times <- seq(0.25, 96, by = 0.5)
bolus <- function(var, at, value) data.frame(var = var, time = at, value = value, method = "add")
solve <- function(y, rhs, parms, events) {
  # deSolve adds the event times to the output (with a warning); keep the requested times.
  out <- suppressWarnings(lsoda(y, c(0, times), rhs, parms, events = list(data = events), rtol = 1e-12, atol = 1e-12))
  out <- as.data.frame(out)
  out[out$time %in% times, ]
}

# pk2cmt_oral.model and pk2cmt_oral_closed.model: 100 mg oral at 0, 24, 48 h (F = 0.8).
pk2 <- with(list(CL = 5, V1 = 50, Q = 10, V2 = 100, KA = 1, F1 = 0.8), {
  rhs <- function(t, y, p) {
    list(c(-KA * y[1],
           KA * y[1] - (CL + Q) / V1 * y[2] + Q / V2 * y[3],
           Q / V1 * y[2] - Q / V2 * y[3]))
  }
  o <- solve(c(depot = 0, central = 0, peripheral = 0), rhs, NULL, bolus("depot", c(0, 24, 48), 100 * F1))
  data.frame(model = "pk2cmt_oral", time = o$time, C = o$central / V1, E = NA)
})

# idr1.model: 1-cmt oral PK, 100 mg at 0, 24, 48 h; dR/dt = KIN (1 - IMAX C/(IC50 + C)) - KOUT R.
idr <- with(list(CL = 5, V = 50, KA = 1, R0 = 100, KOUT = 0.1, IMAX = 0.9, IC50 = 2), {
  KIN <- KOUT * R0
  rhs <- function(t, y, p) {
    C <- y[2] / V
    list(c(-KA * y[1], KA * y[1] - CL / V * y[2], KIN * (1 - IMAX * C / (IC50 + C)) - KOUT * y[3]))
  }
  o <- solve(c(depot = 0, central = 0, R = R0), rhs, NULL, bolus("depot", c(0, 24, 48), 100))
  data.frame(model = "idr1", time = o$time, C = o$central / V, E = o$R)
})

# transit.model: 100 mg at 0 and 24 h into the depot, three transit compartments.
transit <- with(list(MTT = 2, CL = 4, V = 30), {
  KTR <- 4 / MTT
  rhs <- function(t, y, p) {
    list(c(-KTR * y[1], KTR * (y[1] - y[2]), KTR * (y[2] - y[3]), KTR * (y[3] - y[4]),
           KTR * y[4] - CL / V * y[5]))
  }
  o <- solve(c(depot = 0, T1 = 0, T2 = 0, T3 = 0, A = 0), rhs, NULL, bolus("depot", c(0, 24), 100))
  data.frame(model = "transit", time = o$time, C = o$A / V, E = NA)
})

# emax_if.model: 100 mg bolus at 0 and 48 h; effect = min(SLOPE C, EMAX) written with if().
capped <- with(list(K = 0.2, V = 10, SLOPE = 0.5, EMAX = 2, KIN = 5, KOUT = 0.05), {
  rhs <- function(t, y, p) {
    conc <- y[1] / V
    effect <- if (SLOPE * conc < EMAX) SLOPE * conc else EMAX
    list(c(-K * y[1], KIN - KOUT * (1 + effect) * y[2]))
  }
  o <- solve(c(A = 0, R = KIN / KOUT), rhs, NULL, bolus("A", c(0, 48), 100))
  data.frame(model = "emax_if", time = o$time, C = o$A / V, E = o$R)
})

out <- rbind(pk2, idr, transit, capped)
digits17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
out$C <- digits17(out$C)
out$E <- digits17(out$E)
write.csv(out, "deSolve_reference.csv", row.names = FALSE, quote = FALSE)
