# A turnover with a capped drug effect and a clearance that changes at 24 h.
f <- function() {
  ini({
    cl <- 2
    v <- 10
    slope <- 0.5
    emax <- 2
    kin <- 5
    kout <- 0.05
    tchg <- 24
    fchg <- 0.5
  })
  model({
    conc <- cent / v
    eff <- ifelse(slope * conc > emax, emax, slope * conc)
    if (t >= tchg) {
      kel <- cl / v * fchg
    } else {
      kel <- cl / v
    }
    r(0) <- kin / kout
    d/dt(cent) <- -kel * cent
    d/dt(r) <- kin - kout * (1 + eff) * r
    e <- r
    conc ~ prop(0.1)
    e ~ add(2)
  })
}
