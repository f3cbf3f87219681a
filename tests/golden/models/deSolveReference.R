# Reference solutions for the Twinbench model engine, computed with deSolve::lsoda at
# rtol = atol = 1e-12. Run from this directory:  Rscript deSolveReference.R
# Writes bm1_reference.csv, pd_reference.csv, progression_reference.csv and
# tmdd_reference.csv (committed: CI has no R).
# Doses are applied by integrating piecewise between event times, so no event handling
# or discontinuity detection in lsoda is relied upon.
suppressMessages(library(deSolve))
options(digits = 17)
TOL <- 1e-12

# events: data.frame(time, var, add, rate): bolus adds `add` to state `var`; `rate` is a
# change in the constant input into `var` (amount per hour).
simulate <- function(y0, rhs, parms, times, events) {
  breaks <- sort(unique(c(events$time, max(times))))
  breaks <- breaks[breaks <= max(times)]
  rate <- setNames(rep(0, length(y0)), names(y0))
  y <- y0
  t <- 0
  out <- NULL
  record <- times[times == 0]
  if (length(record)) out <- rbind(out, c(time = 0, y))
  for (b in c(breaks)) {
    if (b > t) {
      seg <- sort(unique(c(t, times[times > t & times <= b], b)))
      f <- function(tt, yy, pp) {
        d <- rhs(tt, yy, pp)
        list(d + rate)
      }
      sol <- lsoda(y, seg, f, parms, rtol = TOL, atol = TOL)
      keep <- sol[, "time"] %in% times[times > t & times <= b]
      if (any(keep)) out <- rbind(out, sol[keep, , drop = FALSE])
      y <- sol[nrow(sol), names(y0)]
      t <- b
    }
    ev <- events[events$time == b, , drop = FALSE]
    for (i in seq_len(nrow(ev))) {
      y[ev$var[i]] <- y[ev$var[i]] + ev$add[i]
      rate[ev$var[i]] <- rate[ev$var[i]] + ev$rate[i]
    }
  }
  as.data.frame(out)
}

bolus <- function(time, var, amount) data.frame(time = time, var = var, add = amount, rate = 0)
infusion <- function(time, var, amount, duration) {
  r <- amount / duration
  data.frame(time = c(time, time + duration), var = var, add = 0, rate = c(r, -r))
}

# ---- BM1: 2-cmt oral PK + indirect response type I -------------------------------
bm1_rhs <- function(t, y, p) {
  with(as.list(p), {
    C <- y[["central"]] / V1
    k10 <- CL / V1; k12 <- Q / V1; k21 <- Q / V2
    dd <- -KA * y[["depot"]]
    dc <- KA * y[["depot"]] - (k10 + k12) * y[["central"]] + k21 * y[["peripheral1"]]
    dp <- k12 * y[["central"]] - k21 * y[["peripheral1"]]
    dR <- KOUT * R0 * (1 - IMAX * C / (IC50 + C)) - KOUT * y[["R"]]
    c(dd, dc, dp, dR)
  })
}
bm1_twin <- function(i) {
  u <- (i * 0.6180339887498949) %% 1
  w <- (i * 0.4142135623730951) %% 1
  wt <- 50 + 50 * u
  c(CL = 5 * (wt / 70)^0.75 * exp(0.3 * (w - 0.5)), V1 = 50 * (wt / 70), Q = 10, V2 = 100,
    KA = exp(0.4 * (u - 0.5)), R0 = 80 + 40 * w, KOUT = 0.1, IMAX = 0.9, IC50 = 2)
}
bm1_times <- 0:672
bm1_events <- do.call(rbind, lapply(0:27, function(k) bolus(24 * k, "depot", 100)))
bm1 <- do.call(rbind, lapply(c(1, 2, 3, 500, 1000), function(i) {
  p <- bm1_twin(i)
  y0 <- c(depot = 0, central = 0, peripheral1 = 0, R = p[["R0"]])
  s <- simulate(y0, bm1_rhs, p, bm1_times, bm1_events)
  data.frame(twin = i, time = s$time, C = s$central / p[["V1"]], R = s$R)
}))
write.csv(bm1, "bm1_reference.csv", row.names = FALSE, quote = FALSE)

# ---- PD models driven by 1-cmt oral PK (CL 5 L/h, V 50 L, KA 1/h) ----------------
pk1 <- function(y, p) {
  list(C = y[["central"]] / 50,
       d = c(-1 * y[["depot"]], 1 * y[["depot"]] - 5 / 50 * y[["central"]]))
}
pd_models <- list(
  idr1 = list(p = c(R0 = 100, KOUT = 0.1, IMAX = 0.9, IC50 = 2), y0 = c(R = 100),
              f = function(C, y, p) p[["KOUT"]] * p[["R0"]] * (1 - p[["IMAX"]] * C / (p[["IC50"]] + C)) - p[["KOUT"]] * y[["R"]],
              out = function(s, p) s$R),
  idr2 = list(p = c(R0 = 100, KOUT = 0.1, IMAX = 0.9, IC50 = 2), y0 = c(R = 100),
              f = function(C, y, p) p[["KOUT"]] * p[["R0"]] - p[["KOUT"]] * (1 - p[["IMAX"]] * C / (p[["IC50"]] + C)) * y[["R"]],
              out = function(s, p) s$R),
  idr3 = list(p = c(R0 = 100, KOUT = 0.1, EMAX = 2, EC50 = 2), y0 = c(R = 100),
              f = function(C, y, p) p[["KOUT"]] * p[["R0"]] * (1 + p[["EMAX"]] * C / (p[["EC50"]] + C)) - p[["KOUT"]] * y[["R"]],
              out = function(s, p) s$R),
  idr4 = list(p = c(R0 = 100, KOUT = 0.1, EMAX = 2, EC50 = 2), y0 = c(R = 100),
              f = function(C, y, p) p[["KOUT"]] * p[["R0"]] - p[["KOUT"]] * (1 + p[["EMAX"]] * C / (p[["EC50"]] + C)) * y[["R"]],
              out = function(s, p) s$R),
  effect_compartment = list(p = c(KE0 = 0.5, E0 = 0, EMAX = 1, EC50 = 1, GAMMA = 1.5), y0 = c(Ce = 0),
              f = function(C, y, p) p[["KE0"]] * (C - y[["Ce"]]),
              out = function(s, p) p[["E0"]] + p[["EMAX"]] * s$Ce^p[["GAMMA"]] / (p[["EC50"]]^p[["GAMMA"]] + s$Ce^p[["GAMMA"]])),
  transit3 = list(p = c(KTR = 0.5, E0 = 0, EMAX = 10, EC50 = 1), y0 = c(A1 = 0, A2 = 0, A3 = 0),
              f = function(C, y, p) p[["KTR"]] * c(p[["EMAX"]] * C / (p[["EC50"]] + C) - y[["A1"]], y[["A1"]] - y[["A2"]], y[["A2"]] - y[["A3"]]),
              out = function(s, p) p[["E0"]] + s$A3)
)
pd_times <- seq(0, 96, by = 0.5)
pd_events <- do.call(rbind, lapply(0:2, function(k) bolus(24 * k, "depot", 100)))
pd <- do.call(rbind, lapply(names(pd_models), function(name) {
  m <- pd_models[[name]]
  rhs <- function(t, y, p) {
    k <- pk1(y, p)
    c(k$d, m$f(k$C, y, p))
  }
  y0 <- c(depot = 0, central = 0, m$y0)
  s <- simulate(y0, rhs, m$p, pd_times, pd_events)
  data.frame(model = name, time = s$time, C = s$central / 50, effect = m$out(s, m$p))
}))
write.csv(pd, "pd_reference.csv", row.names = FALSE, quote = FALSE)

# ---- Time-dependent PD: tumour growth inhibition and disease progression ----------
# Same 1-cmt oral PK, 100 mg q24h for 6 weeks (doses at 0..984 h), observed to 12 weeks.
# Parameters: the typical values of the engine's declarations, changed where noted so that
# every term matters over the horizon.
placebo <- function(t, p) p[["PMAX"]] * (1 - 2^(-t / p[["PHALF"]]))
disease_p <- c(S0 = 30, PMAX = 2, PHALF = 168, EMAXDM = 0.5, EC50DM = 1, EMAXSYM = 3, EC50SYM = 1)
disease_effects <- function(C, p) list(slowing = 1 - p[["EMAXDM"]] * C / (p[["EC50DM"]] + C),
                                       sym = p[["EMAXSYM"]] * C / (p[["EC50SYM"]] + C))
disease_out <- function(s, p) s$S - placebo(s$time, p) - disease_effects(s$central / 50, p)$sym
progression_models <- list(
  tgi_claret = list(p = c(SLD0 = 80, KL = 0.0003, KD0 = 0.001, LAMBDA = 0.002), y0 = c(SLD = 80),
              f = function(t, C, y, p) (p[["KL"]] - p[["KD0"]] * exp(-p[["LAMBDA"]] * t) * C) * y[["SLD"]],
              out = function(s, p) s$SLD),
  disease_linear = list(p = c(disease_p, SLOPE = 0.002), y0 = c(S = 30),
              f = function(t, C, y, p) p[["SLOPE"]] * disease_effects(C, p)$slowing,
              out = disease_out),
  disease_exponential = list(p = c(disease_p, KPROG = 0.0002), y0 = c(S = 30),
              f = function(t, C, y, p) p[["KPROG"]] * y[["S"]] * disease_effects(C, p)$slowing,
              out = disease_out),
  disease_asymptotic = list(p = c(disease_p, KPROG = 0.0005, SSS = 60), y0 = c(S = 30),
              f = function(t, C, y, p) p[["KPROG"]] * (p[["SSS"]] - y[["S"]]) * disease_effects(C, p)$slowing,
              out = disease_out)
)
progression_times <- seq(0, 2016, by = 8)
progression_events <- do.call(rbind, lapply(0:41, function(k) bolus(24 * k, "depot", 100)))
progression <- do.call(rbind, lapply(names(progression_models), function(name) {
  m <- progression_models[[name]]
  rhs <- function(t, y, p) {
    k <- pk1(y, p)
    c(k$d, m$f(t, k$C, y, p))
  }
  y0 <- c(depot = 0, central = 0, m$y0)
  s <- simulate(y0, rhs, m$p, progression_times, progression_events)
  data.frame(model = name, time = s$time, C = s$central / 50, effect = m$out(s, m$p))
}))
write.csv(progression, "progression_reference.csv", row.names = FALSE, quote = FALSE)

# ---- Full TMDD (Mager & Jusko 2001), typical parameters of tmdd_full ---------------
tmdd_p <- c(KEL = 0.1, V = 3, KPT = 0.05, KTP = 0.03, KON = 10, KOFF = 1, KINT = 0.1, KSYN = 1, KDEG = 0.2)
tmdd_rhs <- function(t, y, p) {
  with(as.list(p), {
    b <- KON * y[["L"]] * y[["R"]] - KOFF * y[["RL"]]
    c(-(KEL + KPT) * y[["L"]] + KTP * y[["AT"]] / V - b,
      KPT * y[["L"]] * V - KTP * y[["AT"]],
      KSYN - KDEG * y[["R"]] - b,
      b - KINT * y[["RL"]])
  })
}
tmdd_times <- c(0, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 6, 8, 12, 24, 36, 48, 49, 50, 52, 54, 60, 72, 96, 120, 144, 168)
tmdd_events <- rbind(bolus(0, "L", 100 / 3), infusion(48, "L", 50 / 3, 4))
s <- simulate(c(L = 0, AT = 0, R = 5, RL = 0), tmdd_rhs, tmdd_p, tmdd_times, tmdd_events)
write.csv(data.frame(time = s$time, L = s$L, R = s$R, RL = s$RL), "tmdd_reference.csv",
          row.names = FALSE, quote = FALSE)
