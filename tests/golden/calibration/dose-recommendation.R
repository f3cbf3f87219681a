# A dose recommendation computable in closed form: the expected answer for the engine's
# "probability of target attainment, then recommend" step (issue #12, "Validation").
# One-compartment IV drug (vancomycin-like), linear PK: at steady state the AUC over 24 h
# is the daily dose over clearance, AUC24 = D / CL, whatever the interval (here q6h, four
# equal doses). With the posterior of CL lognormal, log CL ~ N(mu, s^2):
#   P(400 <= AUC24 <= 600) = P(D / 600 <= CL <= D / 400)
#                          = pnorm((log(D / 400) - mu) / s) - pnorm((log(D / 600) - mu) / s).
# Rule: the smallest candidate daily dose with P >= 0.8; if none reaches 0.8, the candidate
# with the highest P. Case A is the issue's (none reaches 0.8, so the highest P wins);
# case B has two doses above 0.8 and a larger one with the highest P, so the two halves of
# the rule give different answers. Writes dose-recommendation.json.
# Run from this folder: Rscript dose-recommendation.R
suppressPackageStartupMessages(library(jsonlite))

TARGET <- c(low = 400, high = 600)
THRESHOLD <- 0.8
DOSES_PER_DAY <- 4
CANDIDATES <- c(1000, 1500, 2000, 2500, 3000, 3500)

attainment <- function(dailyDose, mu, s) {
  pnorm((log(dailyDose / TARGET[["low"]]) - mu) / s) - pnorm((log(dailyDose / TARGET[["high"]]) - mu) / s)
}

recommend <- function(name, mu, s) {
  p <- attainment(CANDIDATES, mu, s)
  reached <- which(p >= THRESHOLD)
  pick <- if (length(reached) > 0) min(reached) else which.max(p)
  cat(sprintf("case %s: mu = log(%g), s = %g\n", name, exp(mu), s))
  print(data.frame(dailyDose = CANDIDATES, probability = signif(p, 8)))
  cat("recommended daily dose:", CANDIDATES[pick], "\n\n")
  list(
    name = name,
    clearancePosterior = list(distribution = "lognormal", logMean = mu, logSd = s, median = exp(mu)),
    candidates = lapply(seq_along(CANDIDATES), function(i) {
      list(
        dailyDose = CANDIDATES[i], dose = CANDIDATES[i] / DOSES_PER_DAY,
        auc24Median = CANDIDATES[i] / exp(mu), probability = p[i]
      )
    }),
    recommendedDailyDose = CANDIDATES[pick],
    recommendedProbability = p[pick],
    reason = if (length(reached) > 0) {
      "smallest daily dose with P(400 <= AUC24 <= 600) >= 0.8"
    } else {
      "no daily dose reaches P >= 0.8: the one with the highest P"
    }
  )
}

result <- list(
  description = paste(
    "Probability that the steady-state AUC24 = daily dose / CL lies in [400, 600] mg*h/L",
    "when log CL ~ N(logMean, logSd^2), for candidate daily doses given q6h as 4 equal IV doses;",
    "P = pnorm((log(D/400) - logMean)/logSd) - pnorm((log(D/600) - logMean)/logSd)."
  ),
  R = R.version.string,
  target = list(metric = "AUC24", low = TARGET[["low"]], high = TARGET[["high"]], unit = "mg*h/L"),
  regimen = list(route = "iv", interval = 24 / DOSES_PER_DAY, dosesPerDay = DOSES_PER_DAY, unit = "mg"),
  rule = paste(
    "the smallest candidate daily dose with P >= 0.8;",
    "if none reaches 0.8, the candidate with the highest P"
  ),
  probabilityThreshold = THRESHOLD,
  cases = list(
    recommend("A", log(5), 0.2),
    recommend("B", log(4.6), 0.08)
  )
)
writeLines(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), "dose-recommendation.json")
