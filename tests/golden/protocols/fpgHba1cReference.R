# Reference solution of the fpg_hba1c PD block driven by 1-cmt oral PK
# (pk1cmt_oral+fpg_hba1c), computed with deSolve::lsoda at rtol = atol = 1e-12.
# Run from this directory:  Rscript fpgHba1cReference.R  (writes fpg_hba1c_reference.csv,
# committed: CI has no R). Doses are applied by integrating piecewise between dose times.
#   dFPG/dt   = KOUTF*FPG0*(1 + DP*t)*(1 - IMAX*C/(IC50 + C)) - KOUTF*FPG
#   dHBA1C/dt = KOUTA*(HBA1C0 + SLOPE*(FPG - FPG0) - HBA1C)
suppressMessages(library(deSolve))
options(digits = 17)
TOL <- 1e-12

rhs <- function(t, y, p) {
  with(as.list(p), {
    C <- y[["central"]] / V
    dd <- -KA * y[["depot"]]
    dc <- KA * y[["depot"]] - CL / V * y[["central"]]
    dF <- KOUTF * FPG0 * (1 + DP * t) * (1 - IMAX * C / (IC50 + C)) - KOUTF * y[["FPG"]]
    dA <- KOUTA * (HBA1C0 + SLOPE * (y[["FPG"]] - FPG0) - y[["HBA1C"]])
    list(c(dd, dc, dF, dA))
  })
}

simulate <- function(p, doseTimes, amount, times) {
  y <- c(depot = 0, central = 0, FPG = p[["FPG0"]], HBA1C = p[["HBA1C0"]])
  breaks <- sort(unique(c(doseTimes, max(times))))
  t <- 0
  out <- NULL
  if (any(times == 0)) out <- rbind(out, c(time = 0, y))
  for (b in breaks) {
    if (b > t) {
      seg <- sort(unique(c(t, times[times > t & times <= b], b)))
      sol <- lsoda(y, seg, rhs, p, rtol = TOL, atol = TOL)
      keep <- sol[, "time"] %in% times[times > t & times <= b]
      if (any(keep)) out <- rbind(out, sol[keep, , drop = FALSE])
      y <- sol[nrow(sol), names(y)]
      t <- b
    }
    if (b %in% doseTimes) y[["depot"]] <- y[["depot"]] + amount
  }
  out <- as.data.frame(out)
  data.frame(time = out$time, C = out$central / p[["V"]], FPG = out$FPG, HBA1C = out$HBA1C)
}

# Case 1: the type2-diabetes protocol's typical values, 100 mg every 24 h for 4 weeks.
typical <- c(CL = 29, V = 300, KA = 1.2, FPG0 = 9.4, HBA1C0 = 8.2, KOUTF = 0.0096,
             KOUTA = 0.00075, SLOPE = 0.6277, IMAX = 0.15, IC50 = 0.011, DP = 4e-6)
times1 <- sort(unique(c(0, 0.5, 1, 2, 4, 8, 12, 23.5, seq(24, 672, by = 24) + 6, 168, 336, 504, 672)))
case1 <- cbind(case = "typical", simulate(typical, seq(0, 648, by = 24), 100, times1))

# Case 2: faster turnover, potency near the concentrations, 50 mg every 12 h for 10 days.
fast <- c(CL = 10, V = 80, KA = 0.8, FPG0 = 11, HBA1C0 = 9.1, KOUTF = 0.05,
          KOUTA = 0.01, SLOPE = 0.6277, IMAX = 0.4, IC50 = 0.3, DP = 1e-4)
times2 <- sort(unique(c(0, 0.25, 1, 3, 6, 11.5, 12, 18, seq(24, 288, by = 12) + 3)))
case2 <- cbind(case = "fast", simulate(fast, seq(0, 228, by = 12), 50, times2))

write.csv(rbind(case1, case2), "fpg_hba1c_reference.csv", row.names = FALSE, quote = FALSE)
