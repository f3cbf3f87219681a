# Simulated drug levels of 24 children on intravenous vancomycin, the data behind
# fits.csv (the calibrated patients of protocols/vancomycin-calibrated-cohort.yaml).
# Model and values as protocols/pediatric-weight-based.yaml (Le et al. 2013, Anderson &
# Holford 2008): one compartment, CL = 6.0 L/h (WT/70)^0.75 e^eta1, V = 44.5 L (WT/70) e^eta2,
# Omega = [[0.1, 0.02], [0.02, 0.05]], proportional residual error 10 %.
# Each child gets 15 mg/kg every 6 h as 1-hour infusions (rounded to 10 mg), 4 doses, and
# two levels: a peak 1 h after the end of the 4th infusion (20 h) and a trough just
# before the 5th dose (23.9 h); concentrations from the closed-form one-compartment
# infusion solution (superposition). Run: Rscript make-patients.R > patients.csv
# Then (from the repository root): twinbench calibrate cohorts/vancomycin-calibrated/patients.csv
#   --model protocols/pediatric-weight-based.yaml --out cohorts/vancomycin-calibrated/fits.csv
set.seed(20260512)
n <- 24
omega <- matrix(c(0.1, 0.02, 0.02, 0.05), 2)
L <- t(chol(omega))
weight <- round(exp(runif(n, log(12), log(65))), 1)
conc <- function(t, doses, rate_dur, cl, v) {
  k <- cl / v
  total <- 0
  for (d in seq_len(nrow(doses))) {
    t0 <- doses$time[d]
    r <- doses$amt[d] / rate_dur
    if (t > t0 && t <= t0 + rate_dur) total <- total + r / cl * (1 - exp(-k * (t - t0)))
    if (t > t0 + rate_dur) total <- total + r / cl * (1 - exp(-k * rate_dur)) * exp(-k * (t - t0 - rate_dur))
  }
  total
}
rows <- list()
for (i in seq_len(n)) {
  eta <- L %*% rnorm(2)
  cl <- 6.0 * (weight[i] / 70)^0.75 * exp(eta[1])
  v <- 44.5 * (weight[i] / 70) * exp(eta[2])
  amt <- round(15 * weight[i] / 10) * 10
  doses <- data.frame(time = c(0, 6, 12, 18), amt = amt)
  for (t in doses$time) rows[[length(rows) + 1]] <- data.frame(ID = i, TIME = t, AMT = amt, RATE = amt, DV = ".", EVID = 1, MDV = 1, CMT = 1, weight = weight[i])
  for (t in c(20, 23.9)) {
    y <- conc(t, doses, 1, cl, v) * (1 + 0.1 * rnorm(1))
    rows[[length(rows) + 1]] <- data.frame(ID = i, TIME = t, AMT = ".", RATE = ".", DV = signif(y, 3), EVID = 0, MDV = 0, CMT = 1, weight = weight[i])
  }
}
write.csv(do.call(rbind, rows), stdout(), row.names = FALSE, quote = FALSE)
