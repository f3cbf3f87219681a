$PROB One-compartment oral PK driving an indirect response (type III, stimulation of kin)

$PARAM
CL = 4, V = 40, KA = 1.2
KIN = 10, KOUT = 0.2, EMAX = 2, EC50 = 1.5

$CMT GUT CENT RESP

$SET rtol = 1e-10, atol = 1e-12

$MAIN
RESP_0 = KIN / KOUT;

$ODE
double CP = CENT / V;
double STIM = EMAX * CP / (EC50 + CP);
dxdt_GUT = -KA * GUT;
dxdt_CENT = KA * GUT - CL / V * CENT;
dxdt_RESP = KIN * (1 + STIM) - KOUT * RESP;

$TABLE
capture CONC = CENT / V;
capture E = RESP;
