# The Calibrate page's worked example (patients/vancomycin-child.csv on the paediatric
# vancomycin protocol's model), computed independently of Twinbench:
# - the MAP estimate of (eta_CL, eta_V): optim() on the objective of docs/calibration.md,
#   OFV(eta) = sum_j [((y - f)/sd)^2 + log(2 pi sd^2)] + eta' Omega^-1 eta, sd = 0.1 f,
#   with the 1-compartment infusion model in closed form (superposition of the doses;
#   Gibaldi & Perrier, Pharmacokinetics 2nd ed., 1982);
# - the Laplace posterior covariance 2 H^-1 (H = optimHess at the mode);
# - for each candidate regimen at steady state, AUC over 24 h = daily dose / CL exactly, so
#   under the Laplace posterior log AUC24 is normal and P(400 <= AUC24 <= 600) is two pnorm().
# Run: Rscript worked-example.R > worked-example.csv
weight <- 20
tv_cl <- 6.0 * (weight / 70)^0.75
tv_v <- 44.5 * (weight / 70)
omega <- matrix(c(0.1, 0.02, 0.02, 0.05), 2)
doses <- c(0, 6, 12, 18); amount <- 300; tinf <- 1
obs_t <- c(20, 23.9); obs_y <- c(25, 7)

conc <- function(t, cl, v) {
  k <- cl / v; rate <- amount / tinf
  sum(sapply(doses, function(d) {
    s <- t - d
    if (s <= 0) 0
    else if (s <= tinf) rate / cl * (1 - exp(-k * s))
    else rate / cl * (1 - exp(-k * tinf)) * exp(-k * (s - tinf))
  }))
}
ofv <- function(eta) {
  f <- sapply(obs_t, conc, cl = tv_cl * exp(eta[1]), v = tv_v * exp(eta[2]))
  sd <- 0.1 * f
  sum(((obs_y - f) / sd)^2 + log(2 * pi * sd^2)) + drop(t(eta) %*% solve(omega) %*% eta)
}
fit <- optim(c(0, 0), ofv, method = "BFGS", control = list(reltol = 1e-14, maxit = 1000))
eta <- fit$par
cov <- 2 * solve(optimHess(eta, ofv))
cl <- tv_cl * exp(eta[1]); v <- tv_v * exp(eta[2])
ipred <- sapply(obs_t, conc, cl = cl, v = v)
pred <- sapply(obs_t, conc, cl = tv_cl, v = tv_v)

out <- data.frame(
  quantity = c("eta_CL", "eta_V", "ofv", "population_ofv", "CL", "V", "cov_CL_CL", "cov_V_CL", "cov_V_V",
               "ipred_1", "ipred_2", "pred_1", "pred_2"),
  value = c(eta, fit$value, ofv(c(0, 0)), cl, v, cov[1, 1], cov[2, 1], cov[2, 2], ipred, pred)
)
# Candidate regimens (mg/kg every tau h, 1-h infusions) at steady state: P(AUC24 in 400-600).
regimens <- data.frame(mgkg = c(12.5, 15, 17.5, 20, 20, 25), tau = c(6, 6, 6, 6, 8, 8))
sd_cl <- sqrt(cov[1, 1])
for (i in seq_len(nrow(regimens))) {
  daily <- regimens$mgkg[i] * weight * 24 / regimens$tau[i]
  # AUC = daily / (tv_cl exp(eta_CL)): AUC in [lo, hi] <=> eta_CL in [log(daily/(hi tv_cl)), log(daily/(lo tv_cl))]
  p <- pnorm(log(daily / (400 * tv_cl)), eta[1], sd_cl) - pnorm(log(daily / (600 * tv_cl)), eta[1], sd_cl)
  out <- rbind(out, data.frame(quantity = c(sprintf("median_auc24_%d", i), sprintf("p_target_%d", i)),
                               value = c(daily / cl, p)))
}
write.csv(out, stdout(), row.names = FALSE)
