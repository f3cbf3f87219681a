$PROB A turnover with a capped drug effect and a clearance that changes at 24 h

$PARAM CL = 2, V = 10, SLOPE = 0.5, EMAX = 2, KIN = 5, KOUT = 0.05, TCHG = 24, FCHG = 0.5

$CMT CENT R

$SET rtol = 1e-10, atol = 1e-12

$MAIN
R_0 = KIN / KOUT;

$ODE
double CP = CENT / V;
double EFF = SLOPE * CP;
if (EFF > EMAX) EFF = EMAX;
double KEL = CL / V;
if (SOLVERTIME >= TCHG) {
  KEL = KEL * FCHG;
} else {
  KEL = KEL * 1.0;
}
dxdt_CENT = -KEL * CENT;
dxdt_R = KIN - KOUT * (1 + EFF) * R;

$TABLE
capture CONC = CENT / V;
capture E = R;
