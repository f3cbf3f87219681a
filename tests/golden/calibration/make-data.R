# Simulates the patients of the MAP calibration reference: 12 per model, true etas drawn
# from each model's Omega, observations with the model's residual error, written as
# NONMEM-style CSVs (pk2cmt_oral.csv, pk1cmt_oral_idr1.csv) and the true etas (true-eta.csv).
# Missing values are written as "." (NONMEM's convention).
# Run from this folder: Rscript make-data.R
source("models.R")
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20261202)

N_PATIENTS <- 12
LLOQ <- 0.5

drawEtas <- function(omega, n) {
  z <- matrix(rnorm(n * nrow(omega)), n)
  z %*% chol(omega) # rows ~ N(0, t(R) R) = N(0, Omega)
}

# Observations with residual error: y = f + sd(f) * eps for additive, proportional and combined.
withError <- function(model, output, f) {
  y <- f + model$sd(output, f) * rnorm(length(f))
  stopifnot(all(y > 0))
  y
}

fmt <- function(x) ifelse(is.na(x), ".", format(signif(x, 10), scientific = FALSE, trim = TRUE, drop0trailing = TRUE))

writeData <- function(rows, file) {
  rows <- rows[order(rows$ID, rows$TIME, -rows$EVID), ]
  out <- as.data.frame(lapply(rows, fmt))
  write.csv(out, file, row.names = FALSE, quote = FALSE)
}

trueEtas <- list()

# --- Model a: 2-compartment oral PK, 100 mg every 12 h x 4, 6 samples in 0-48 h ----------
model <- MODELS$pk2cmt_oral
WT <- round(runif(N_PATIENTS, 40, 110), 1)
eta <- drawEtas(model$omega, N_PATIENTS)
doseTimes <- c(0, 12, 24, 36)
doses <- data.frame(time = doseTimes, amount = 100)
# The BLQ patient: the one with the highest true eta of CL, made the heaviest (110 kg) and
# sampled at its last two troughs, so that its concentration there is truly below the LLOQ.
blqId <- which.max(eta[, 1])
WT[blqId] <- 110
rows <- NULL
for (i in seq_len(N_PATIENTS)) {
  time <- round(c(
    runif(1, 0.3, 2), runif(1, 2, 8), runif(1, 12.3, 14),
    runif(1, 20, 30), runif(1, 36.3, 40), runif(1, 44, 48)
  ), 2)
  # (its fourth sample moved to 1 h after the third dose, where it is well above the LLOQ)
  if (i == blqId) time[4:6] <- c(25, 35.5, 47.5)
  f <- model$predict(individual(model, WT[i], eta[i, ]), doses, time, rep(1, 6))
  y <- withError(model, 1, f)
  blq <- rep(0, 6)
  lloq <- rep(NA, 6)
  if (i == blqId) {
    stopifnot(all(f[5:6] < 0.7 * LLOQ)) # truly below the limit, not by residual error
    blq[5:6] <- 1
    lloq[5:6] <- LLOQ
    y[5:6] <- LLOQ
  }
  # Odd IDs: the regimen as one row with II and ADDL; even IDs: one row per dose.
  doseRows <- if (i %% 2 == 1) {
    data.frame(TIME = 0, II = 12, ADDL = 3)
  } else {
    data.frame(TIME = doseTimes, II = 0, ADDL = 0)
  }
  rows <- rbind(
    rows,
    data.frame(
      ID = i, TIME = doseRows$TIME, AMT = 100, DV = 0, EVID = 1, MDV = 1, CMT = 1,
      II = doseRows$II, ADDL = doseRows$ADDL, BLQ = 0, LLOQ = NA, WT = WT[i]
    ),
    data.frame(
      ID = i, TIME = time, AMT = 0, DV = y, EVID = 0, MDV = 0, CMT = 1,
      II = 0, ADDL = 0, BLQ = blq, LLOQ = lloq, WT = WT[i]
    )
  )
}
writeData(rows, "pk2cmt_oral.csv")
trueEtas$pk2cmt_oral <- data.frame(
  model = "pk2cmt_oral", ID = rep(seq_len(N_PATIENTS), each = 3),
  parameter = model$etaNames, eta = as.vector(t(eta))
)
cat("pk2cmt_oral: BLQ patient", blqId, "\n")

# --- Model b: 1-compartment oral PK + indirect response, 200 mg at 0 and 24 h -------------
# C (CMT 1, the first output) at 3 times and R (CMT 2) at 4 times within 0-72 h.
model <- MODELS$pk1cmt_oral_idr1
WT <- round(runif(N_PATIENTS, 40, 110), 1)
eta <- drawEtas(model$omega, N_PATIENTS)
doses <- data.frame(time = c(0, 24), amount = 200)
rows <- NULL
for (i in seq_len(N_PATIENTS)) {
  time <- round(c(
    runif(1, 0.5, 3), runif(1, 8, 20), runif(1, 26, 36),
    runif(1, 2, 8), runif(1, 10, 22), runif(1, 30, 48), runif(1, 50, 72)
  ), 2)
  output <- c(1, 1, 1, 2, 2, 2, 2)
  f <- model$predict(individual(model, WT[i], eta[i, ]), doses, time, output)
  y <- withError(model, output, f)
  rows <- rbind(
    rows,
    data.frame(
      ID = i, TIME = doses$time, AMT = doses$amount, DV = 0, EVID = 1, MDV = 1, CMT = 1,
      BLQ = 0, LLOQ = NA, WT = WT[i]
    ),
    data.frame(
      ID = i, TIME = time, AMT = 0, DV = y, EVID = 0, MDV = 0, CMT = output,
      BLQ = 0, LLOQ = NA, WT = WT[i]
    )
  )
}
writeData(rows, "pk1cmt_oral_idr1.csv")
trueEtas$pk1cmt_oral_idr1 <- data.frame(
  model = "pk1cmt_oral_idr1", ID = rep(seq_len(N_PATIENTS), each = 3),
  parameter = model$etaNames, eta = as.vector(t(eta))
)

out <- do.call(rbind, trueEtas)
out$eta <- fmt(out$eta)
write.csv(out, "true-eta.csv", row.names = FALSE, quote = FALSE)
