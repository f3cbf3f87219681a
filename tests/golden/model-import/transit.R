library(rxode2)
# Absorption through three transit compartments into a one-compartment model.
mod <- rxode2({
  ntr <- 3
  mtt <- 2
  cl <- 4
  v <- 30
  ktr <- (ntr + 1) / mtt
  d/dt(depot) <- -ktr * depot
  d/dt(t1) <- ktr * depot - ktr * t1
  d/dt(t2) <- ktr * t1 - ktr * t2
  d/dt(t3) <- ktr * t2 - ktr * t3
  d/dt(cent) <- ktr * t3 - cl / v * cent
  cp <- cent / v
})
