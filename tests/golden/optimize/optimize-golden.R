# Golden values for src/lib/stats/minimize.ts and numericHessian.ts, computed with base R (stats).
# Run from the repository root:  Rscript tests/golden/optimize/optimize-golden.R
# Writes tests/golden/optimize/optimize.json. Every problem is written out here in full so the
# TypeScript test restates the same function; gradients and Hessians are exact (by hand or by
# deriv3, R's symbolic differentiation), so R's optimum is limited by its tolerance only.
suppressPackageStartupMessages(library(jsonlite))
out <- "tests/golden/optimize/optimize.json"

# ---------------------------------------------------------------- Rosenbrock (2-D and chained 4-D)
rosen <- function(x) { n <- length(x); sum(100 * (x[-1] - x[-n]^2)^2 + (1 - x[-n])^2) }
rosen_gr <- function(x) {
  n <- length(x); g <- numeric(n)
  for (i in seq_len(n - 1)) {
    g[i] <- g[i] - 400 * x[i] * (x[i + 1] - x[i]^2) - 2 * (1 - x[i])
    g[i + 1] <- g[i + 1] + 200 * (x[i + 1] - x[i]^2)
  }
  g
}
rosen_hess <- function(x) {
  n <- length(x); h <- matrix(0, n, n)
  for (i in seq_len(n - 1)) {
    h[i, i] <- h[i, i] + 1200 * x[i]^2 - 400 * x[i + 1] + 2
    h[i, i + 1] <- h[i, i + 1] - 400 * x[i]; h[i + 1, i] <- h[i, i + 1]
    h[i + 1, i + 1] <- h[i + 1, i + 1] + 200
  }
  h
}
# optim's BFGS stops on its reltol test, which in a flat valley (chained Rosenbrock's smallest
# Hessian eigenvalue is 0.38) leaves it about 1e-6 short of the stationary point; five Newton steps
# with the exact Hessian from there give the stationary point to rounding (stationaryPar).
bfgs <- function(x0, fn, gr, hess) {
  r <- optim(x0, fn, gr, method = "BFGS", control = list(reltol = 1e-14, maxit = 10000))
  x <- r$par
  for (k in 1:5) x <- x - solve(hess(x), gr(x))
  list(x0 = x0, par = r$par, value = r$value, convergence = r$convergence,
       gradientAtPar = gr(r$par), stationaryPar = x, gradientAtStationary = gr(x))
}

# ---------------------------------------------------------------- MAP of a one-compartment oral PK model
# Objective of Bayesian TDM (as in mapbayr/posologyr): sum over observations of
# (DV - C)^2 / var + log(var), var = sa^2 + (sp C)^2 (combined error), plus eta' Omega^-1 eta;
# CL = 5 exp(e1) L/h, V = 50 exp(e2) L, ka = 1.2 exp(e3) /h, 500 mg oral at t = 0.
pk <- list(dose = 500, cl = 5, v = 50, ka = 1.2, sa = 0.2, sp = 0.15,
           times = c(0.5, 2, 6, 12), dv = c(5.9, 9.4, 5.1, 2.2),
           omega = matrix(c(0.09, 0.02, 0, 0.02, 0.04, 0, 0, 0, 0.25), 3, 3))
conc <- quote(D * (KA * exp(e3)) / ((V * exp(e2)) * (KA * exp(e3) - CL * exp(e1) / (V * exp(e2)))) *
                (exp(-CL * exp(e1) / (V * exp(e2)) * t) - exp(-KA * exp(e3) * t)))
term <- substitute((dv - C)^2 / (SA^2 + (SP * C)^2) + log(SA^2 + (SP * C)^2), list(C = conc))
D <- pk$dose; CL <- pk$cl; V <- pk$v; KA <- pk$ka; SA <- pk$sa; SP <- pk$sp
obs_term <- deriv3(term, c("e1", "e2", "e3"), function.arg = c("e1", "e2", "e3", "t", "dv"))
omega_inv <- solve(pk$omega)
pk_parts <- function(e) {
  v <- obs_term(e[1], e[2], e[3], pk$times, pk$dv)
  list(value = sum(v) + drop(t(e) %*% omega_inv %*% e),
       gradient = colSums(attr(v, "gradient")) + drop(2 * omega_inv %*% e),
       hessian = apply(attr(v, "hessian"), c(2, 3), sum) + 2 * omega_inv)
}
pk_fn <- function(e) pk_parts(e)$value
pk_gr <- function(e) pk_parts(e)$gradient
pk_hess <- function(e) pk_parts(e)$hessian

# ---------------------------------------------------------------- bounded problems (L-BFGS-B, KKT checked)
# Rosenbrock with x1 <= 0.5: minimum on the bound at (0.5, 0.25), f = 0.25 (x2 = x1^2, then (1 - x1)^2).
lbfgsb <- function(x0, fn, gr, lower, upper) {
  r <- optim(x0, fn, gr, method = "L-BFGS-B", lower = lower, upper = upper,
             control = list(factr = 1, pgtol = 0, maxit = 10000))
  list(x0 = x0, lower = lower, upper = upper, par = r$par, value = r$value,
       gradientAtPar = gr(r$par))
}

unbounded_pk <- bfgs(c(0, 0, 0), pk_fn, pk_gr, pk_hess)
pk_at <- pk_parts(unbounded_pk$par)
res <- list(
  R = R.version.string,
  rosenbrock2 = c(bfgs(c(-1.2, 1), rosen, rosen_gr, rosen_hess),
                  list(hessianAtX0 = rosen_hess(c(-1.2, 1)), hessianAtPar = rosen_hess(c(1, 1)))),
  rosenbrock4 = bfgs(c(-1.2, 1, 1, 1), rosen, rosen_gr, rosen_hess),
  pkMap = c(list(problem = pk), unbounded_pk,
            list(hessianAtPar = pk_at$hessian,
                 optimHessAtPar = optimHess(unbounded_pk$par, pk_fn, pk_gr, control = list(ndeps = rep(1e-5, 3))),
                 hessianAtZero = pk_parts(c(0, 0, 0))$hessian, valueAtZero = pk_fn(c(0, 0, 0)))),
  rosenbrockBounded = lbfgsb(c(-1.2, 1), rosen, rosen_gr, c(-Inf, -Inf), c(0.5, Inf)),
  # the upper bound on e2 (V) binds: the unbounded MAP has e2 above it
  pkMapBounded = lbfgsb(c(0, 0, 0), pk_fn, pk_gr, c(-2, -2, -2), c(2, unbounded_pk$par[2] - 0.1, 2))
)
write_json(res, out, digits = NA, auto_unbox = TRUE, pretty = TRUE)
