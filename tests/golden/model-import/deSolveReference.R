# Reference profiles for the import golden tests: the equations of the mrgsolve (.cpp) and
# rxode2 (.R, .rxode) files beside this script, integrated by deSolve::lsoda at
# rtol = atol = 1e-12. Run from this folder: Rscript deSolveReference.R (writes
# deSolve_reference.csv).
library(deSolve)

times <- seq(0.25, 96, by = 0.5)
bolus <- function(var, at, value) data.frame(var = var, time = at, value = value, method = "add")
solve <- function(y, rhs, events) {
  # deSolve adds the event times to the output (with a warning); keep the requested times.
  out <- suppressWarnings(lsoda(y, c(0, times), rhs, NULL, events = list(data = events), rtol = 1e-12, atol = 1e-12))
  out <- as.data.frame(out)
  out[out$time %in% times, ]
}

# pk2cmt_oral.cpp, pk2cmt_pkmodel.cpp, pk2cmt_oral.R: 100 mg oral at 0, 24, 48 h (F = 0.8).
pk2 <- with(list(CL = 5, V2 = 50, Q = 10, V3 = 100, KA = 1, F1 = 0.8), {
  rhs <- function(t, y, p) {
    list(c(-KA * y[1],
           KA * y[1] - (CL + Q) / V2 * y[2] + Q / V3 * y[3],
           Q / V2 * y[2] - Q / V3 * y[3]))
  }
  o <- solve(c(depot = 0, central = 0, peripheral = 0), rhs, bolus("depot", c(0, 24, 48), 100 * F1))
  data.frame(model = "pk2cmt", time = o$time, C = o$central / V2, E = NA)
})

# idr.cpp, idr.rxode: 1-cmt oral PK, 100 mg at 0, 24, 48 h;
# dR/dt = KIN (1 + EMAX C / (EC50 + C)) - KOUT R, R(0) = KIN / KOUT.
idr <- with(list(CL = 4, V = 40, KA = 1.2, KIN = 10, KOUT = 0.2, EMAX = 2, EC50 = 1.5), {
  rhs <- function(t, y, p) {
    C <- y[2] / V
    list(c(-KA * y[1], KA * y[1] - CL / V * y[2], KIN * (1 + EMAX * C / (EC50 + C)) - KOUT * y[3]))
  }
  o <- solve(c(depot = 0, central = 0, R = KIN / KOUT), rhs, bolus("depot", c(0, 24, 48), 100))
  data.frame(model = "idr", time = o$time, C = o$central / V, E = o$R)
})

# transit.cpp, transit.R: 100 mg at 0 and 24 h into the depot, three transit compartments.
transit <- with(list(NTR = 3, MTT = 2, CL = 4, V = 30), {
  KTR <- (NTR + 1) / MTT
  rhs <- function(t, y, p) {
    list(c(-KTR * y[1], KTR * (y[1] - y[2]), KTR * (y[2] - y[3]), KTR * (y[3] - y[4]),
           KTR * y[4] - CL / V * y[5]))
  }
  o <- solve(c(depot = 0, T1 = 0, T2 = 0, T3 = 0, A = 0), rhs, bolus("depot", c(0, 24), 100))
  data.frame(model = "transit", time = o$time, C = o$A / V, E = NA)
})

# if.cpp, if.R: 100 mg bolus at 0 and 24 h; the effect is min(SLOPE C, EMAX); the
# elimination rate halves from 24 h on (a dose time, where the integration restarts).
capped <- with(list(CL = 2, V = 10, SLOPE = 0.5, EMAX = 2, KIN = 5, KOUT = 0.05, TCHG = 24, FCHG = 0.5), {
  rhs <- function(kel) function(t, y, p) {
    conc <- y[1] / V
    effect <- if (SLOPE * conc > EMAX) EMAX else SLOPE * conc
    list(c(-kel * y[1], KIN - KOUT * (1 + effect) * y[2]))
  }
  # Two integrations, so that neither steps across the switch of kel at TCHG (lsoda
  # fails on a discontinuity in t it is not told about).
  before <- times[times < TCHG]
  o1 <- as.data.frame(lsoda(c(A = 100, R = KIN / KOUT), c(0, before, TCHG), rhs(CL / V), NULL, rtol = 1e-12, atol = 1e-12))
  y24 <- unlist(o1[nrow(o1), c("A", "R")]) + c(100, 0)
  o2 <- as.data.frame(lsoda(y24, c(TCHG, times[times > TCHG]), rhs(CL / V * FCHG), NULL, rtol = 1e-12, atol = 1e-12))
  o <- rbind(o1[o1$time %in% before, ], o2[o2$time %in% times, ])
  data.frame(model = "if", time = o$time, C = o$A / V, E = o$R)
})

out <- rbind(pk2, idr, transit, capped)
digits17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
out$C <- digits17(out$C)
out$E <- digits17(out$E)
write.csv(out, "deSolve_reference.csv", row.names = FALSE, quote = FALSE)
