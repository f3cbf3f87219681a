# Two-compartment PK with first-order oral absorption, as an rxode2/nlmixr2 model function.
pk2cmt <- function() {
  ini({
    tcl <- log(5); label("Clearance (L/h)")
    tv2 <- log(50); label("Central volume (L)")
    tq <- log(10)
    tv3 <- log(100)
    tka <- c(-5, log(1), 5)
    f1 <- fix(0.8)
    eta.cl + eta.v2 ~ c(0.09,
                        0.01, 0.04)
    prop.sd <- 0.1
    add.sd <- 0.5
  })
  model({
    cl <- exp(tcl + eta.cl)
    v2 <- exp(tv2 + eta.v2)
    q <- exp(tq)
    v3 <- exp(tv3)
    ka <- exp(tka)
    f(depot) <- f1
    d/dt(depot) <- -ka * depot
    d/dt(center) <- ka * depot - (cl + q) / v2 * center + q / v3 * periph
    d/dt(periph) <- q / v2 * center - q / v3 * periph
    cp <- center / v2
    cp ~ add(add.sd) + prop(prop.sd)
  })
}
