$PROB Absorption through three transit compartments into a one-compartment model

$PARAM NTR = 3, MTT = 2, CL = 4, V = 30

$CMT DEPOT T1 T2 T3 CENT

$SET rtol = 1e-10, atol = 1e-12

$MAIN
double KTR = (NTR + 1) / MTT;

$ODE
dxdt_DEPOT = -KTR * DEPOT;
dxdt_T1 = KTR * DEPOT - KTR * T1;
dxdt_T2 = KTR * T1 - KTR * T2;
dxdt_T3 = KTR * T2 - KTR * T3;
dxdt_CENT = KTR * T3 - CL / V * CENT;

$TABLE
capture CP = CENT / V;
