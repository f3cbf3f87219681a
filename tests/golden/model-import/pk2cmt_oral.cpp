$PROB Two-compartment PK with first-order oral absorption (ODE form)

$PARAM @annotated
TVCL : 5   : Clearance (L/h)
TVV2 : 50  : Central volume (L)
Q    : 10  : Inter-compartmental clearance (L/h)
V3   : 100 : Peripheral volume (L)
KA   : 1   : Absorption rate constant (1/h)
F1   : 0.8 : Oral bioavailability

$CMT @annotated
GUT    : Depot (mg)
CENT   : Central amount (mg)
PERIPH : Peripheral amount (mg)

$SET rtol = 1e-10, atol = 1e-12, end = 96, delta = 0.5

$MAIN
double CL = TVCL * exp(ETA(1));
double V2 = TVV2 * exp(ETA(2));
F_GUT = F1;

$OMEGA @block
0.09
0.01 0.04

$SIGMA 0.01 0.25

$ODE
dxdt_GUT = -KA * GUT;
dxdt_CENT = KA * GUT - (CL + Q) / V2 * CENT + Q / V3 * PERIPH;
dxdt_PERIPH = Q / V2 * CENT - Q / V3 * PERIPH;

$TABLE
double CP = CENT / V2;
double DV = CP * (1 + EPS(1)) + EPS(2);

$CAPTURE CP DV
