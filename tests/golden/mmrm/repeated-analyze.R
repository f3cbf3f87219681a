# Expected numbers for `twinbench analyze --type repeated` on the MMRM datasets
# (tests/integration/analyze-repeated.test.ts): the single-visit analyses at the last visit,
# fitted with R lm, which the command must reproduce:
#   ancova / completers: lm(y ~ arm + baseline) on the subjects observed at the visit (all arms)
#   ancova_pairwise:     the same on the control and one active arm
#   locf / bocf:         lm(y ~ arm + baseline) after carrying the last observed value (or the
#                        baseline) forward
# (the MMRM's numbers are nlme's, in mmrm-expected.json). Run from the repository root:
#   Rscript tests/golden/mmrm/repeated-analyze.R
suppressWarnings(library(jsonlite))
dir <- "tests/golden/mmrm"
cases <- list(
  list(file = "two-arms-4-visits.csv", control = "placebo"),
  list(file = "three-arms-5-visits.csv", control = "control")
)
natural <- function(v) v[order(as.numeric(gsub("[^0-9.]", "", v)))]
effects <- function(fit, arms) {
  s <- summary(fit)$coefficients
  ci <- confint(fit)
  lapply(arms, function(a) {
    k <- paste0("arm", a)
    list(arm = a, estimate = s[k, 1], stdErr = s[k, 2], pValue = s[k, 4],
         ciLow = ci[k, 1], ciHigh = ci[k, 2], df = fit$df.residual)
  })
}
out <- lapply(cases, function(cs) {
  d <- read.csv(file.path(dir, cs$file), stringsAsFactors = FALSE)
  visits <- natural(unique(d$visit))
  last <- visits[length(visits)]
  arms <- c(cs$control, setdiff(sort(unique(d$arm)), cs$control))
  d$arm <- factor(d$arm, levels = arms)
  subj <- unique(d[, c("id", "arm", "baseline")])
  wide <- subj
  for (v in visits) {
    x <- d[d$visit == v & !is.na(d$y), c("id", "y")]
    names(x)[2] <- v
    wide <- merge(wide, x, by = "id", all.x = TRUE)
  }
  carried <- function(start) {
    w <- wide
    for (i in seq_len(nrow(w))) {
      last_value <- w$baseline[i]
      for (v in visits) {
        if (is.na(w[i, v])) w[i, v] <- if (start == "locf") last_value else w$baseline[i]
        else last_value <- w[i, v]
      }
    }
    w
  }
  fitAt <- function(w) lm(as.formula(paste0("`", last, "` ~ arm + baseline")), data = w)
  comp <- wide[!is.na(wide[[last]]), ]
  active <- arms[-1]
  pairwise <- lapply(active, function(a) {
    w <- comp[comp$arm %in% c(cs$control, a), ]
    w$arm <- factor(as.character(w$arm), levels = c(cs$control, a))
    effects(fitAt(w), a)[[1]]
  })
  list(
    file = cs$file, control = cs$control, at = last,
    ancova = effects(fitAt(comp), active),
    ancova_pairwise = pairwise,
    locf = effects(fitAt(carried("locf")), active),
    bocf = effects(fitAt(carried("bocf")), active)
  )
})
writeLines(toJSON(list(generatedBy = "tests/golden/mmrm/repeated-analyze.R", R = R.version.string,
                       cases = out), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(dir, "repeated-analyze.json"))
