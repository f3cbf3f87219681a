// The same two-compartment oral PK as pk2cmt_oral.cpp, in closed form.
$PARAM CL = 5, V2 = 50, Q = 10, V3 = 100, KA = 1, F1 = 0.8

$CMT GUT CENT PERIPH

$PKMODEL ncmt = 2, depot = TRUE

$MAIN
F_GUT = F1;

$TABLE
capture CP = CENT / V2;
