/**
 * How mrgsolve and rxode2 constructs are translated: each translation is checked by the
 * model language's own checker, and the lines that carry the translation are asserted.
 * (Numbers against deSolve: tests/golden/model-import.)
 */
import { describe, expect, it } from 'vitest';
import { checkModelText } from '../../../src/lib/engine/model-language';
import { importModelText, type Tool } from '../../../src/lib/engine/model-language/import';

function translate(text: string, tool: Tool): string {
  const out = importModelText(text, tool === 'mrgsolve' ? 'x.cpp' : 'x.R', tool);
  expect(checkModelText(out).diagnostics).toEqual([]);
  return out;
}

describe('mrgsolve', () => {
  it('bracket blocks, annotated omega labels, @correlation, shared and zero-variance etas, captures', () => {
    const out = translate(
      [
        '[ PARAM ] @annotated',
        'TVCL : 1.5 : Clearance (L/h)',
        'TVV  : 20  : Volume (L)',
        'WT   : 70  : Weight (kg)',
        '[ CMT ] CENT',
        '[ OMEGA ] @annotated',
        'ECL : 0.1 : Eta on CL',
        'EV  : 0   : Eta on V',
        '[ OMEGA ] @block @correlation',
        '0.2',
        '0.5 0.3',
        '[ MAIN ]',
        'double CL = TVCL * pow(WT / 70, 0.75) * exp(ECL);',
        'double V = TVV * exp(EV);',
        'double X = exp(ETA(3)) + ETA(4);',
        'double Y = ETA(4) * 2;',
        '[ ODE ]',
        'dxdt_CENT = -CL / V * CENT * X;',
        '[ TABLE ]',
        'double CP = CENT / V;',
        '[ CAPTURE ] CP CONC = CP CL WT'
      ].join('\n'),
      'mrgsolve'
    );
    // A label is ETA(n); in a product with a parameter read nowhere else: lognormal.
    expect(out).toContain('TVCL ~ lognormal(var = 0.1)');
    expect(out).toContain('CL_2 = TVCL * pow(WT / 70, 0.75)');
    // Variance 0: no variability, the eta is 0.
    expect(out).toContain('V = TVV * exp(0)');
    // Used twice or outside the pattern: a parameter of typical value 0, normal variability.
    expect(out).toContain('ETA3 = 0  "random effect ETA(3)"');
    expect(out).toContain('ETA4 ~ normal(var = 0.3)');
    expect(out).toContain('cor(ETA4, ETA3) = 0.5');
    // Captured names keep their names; the quantities they show are renamed.
    expect(out).toMatch(/outputs\n {2}CP = CP_2\n {2}CONC = CP_2\n {2}CL = CL_2\n {2}WT_2 = WT\n/);
  });

  it('$PKMODEL without a depot; $INIT; the central amount read as concentration times volume', () => {
    const out = translate(
      [
        '$PARAM CL = 2, V1 = 10, Q = 3, V2 = 30, KOUT = 0.1, EC50 = 1',
        '$INIT CENT = 0, PERI = 0, R = 10',
        '$PKMODEL ncmt = 2',
        '$ODE',
        'dxdt_R = KOUT * (10 - R) - KOUT * CENT / V1 / (EC50 + CENT / V1) * R;',
        '$TABLE',
        'capture AMT2 = CENT * 2;'
      ].join('\n'),
      'mrgsolve'
    );
    expect(out).toContain('pk two_compartment(iv, CL = CL, V1 = V1, Q = Q, V2 = V2)');
    expect(out).toContain('R(0) = 10');
    expect(out).toContain('d/dt(R) = KOUT * (10 - R) - KOUT * C / (EC50 + C) * R');
    expect(out).toContain('AMT2 = C * V1 * 2');
    const captured = translate(
      '$PARAM CL = 1, V = 10, KA = 1\n$CMT GUT CENT\n$PKMODEL ncmt = 1, depot = TRUE\n$CAPTURE CENT\n',
      'mrgsolve'
    );
    expect(captured).toContain('CENT = C * V');
  });

  it('the peripheral amount of $PKMODEL is refused', () => {
    expect(() =>
      importModelText(
        '$PARAM CL = 2, V = 10\n$CMT CENT\n$PKMODEL ncmt = 1\n$TABLE\ncapture X = CENT2;',
        'x.cpp',
        'mrgsolve'
      )
    ).toThrow("x.cpp:5:13: unknown name 'CENT2'");
    expect(() =>
      importModelText(
        '$PARAM CL = 2, V = 10, KA = 1\n$CMT GUT CENT\n$PKMODEL ncmt = 1, depot = TRUE\n$TABLE\ncapture X = GUT;',
        'x.cpp',
        'mrgsolve'
      )
    ).toThrow("x.cpp:5:13: the amount in 'GUT' is not available with $PKMODEL");
  });

  it('compound assignments, the ternary operator, else-if chains, fmax and M_PI', () => {
    const out = translate(
      [
        '$PARAM K = 1, A0 = 2',
        '$CMT A',
        '$ODE',
        'double k = K;',
        'k *= 2;',
        'if (SOLVERTIME < 1) k = 1; else if (SOLVERTIME < 2) k = 2; else k = fmax(k, 3);',
        'const double s = A > 1 ? M_PI : 0.0;',
        'dxdt_A = -k * A + s;'
      ].join('\n'),
      'mrgsolve'
    );
    expect(out).toContain('k_2 = k_1 * 2');
    expect(out).toContain('k = if(t < 1, k_3, k_6)');
    expect(out).toContain('s = if(A > 1, 3.141592653589793, 0)');
  });
});

describe('mrgsolve log-scale etas and zero residual variance', () => {
  it('exp(log(TV) + ETA) is lognormal on TV; a $SIGMA of 0 gives no error', () => {
    const out = translate(
      [
        '$PARAM TVKA = 0.5, TVCL = 1, TVV = 24, WT = 70',
        '$CMT GUT CENT',
        '$MAIN',
        'double KA = exp(log(TVKA) + ETA(1));',
        'double CL = exp(log(TVCL) + 0.75*log(WT/70) + ETA(2));',
        'double V  = exp(log(TVV)  + ETA(3));',
        '$OMEGA 0.1 0.2 0.3',
        '$SIGMA 0 0.04',
        '$PKMODEL cmt = "GUT CENT", depot = TRUE',
        '$TABLE',
        'capture IPRED = CENT/V;',
        'double DV = IPRED*exp(EPS(1));',
        'double Y = IPRED*(1 + EPS(2)) + EPS(1);',
        '$CAPTURE DV Y'
      ].join('\n'),
      'mrgsolve'
    );
    expect(out).toContain('TVKA ~ lognormal(var = 0.1)');
    expect(out).toContain('TVCL ~ lognormal(var = 0.2)');
    expect(out).toContain('TVV ~ lognormal(var = 0.3)');
    expect(out).toContain('CL = exp(log(TVCL) + 0.75 * log(WT / 70))');
    expect(out).toContain('pk one_compartment(oral, CL = CL, V = V, KA = KA)');
    expect(out).toMatch(/ {2}DV = IPRED_2\n/);
    expect(out).toContain('Y = IPRED_2  ~ proportional(0.2)');
  });
});

describe('mrgsolve dose settings', () => {
  it('F_X and ALAG_X are expressions; one that changes with time is refused', () => {
    const out = translate(
      '$PARAM F1 = 0.8, K = 0.5, KA = 1, TL = 0.5\n$CMT GUT A\n$MAIN\nF_GUT = F1 / 2;\nALAG_GUT = TL * 2;\n$ODE\ndxdt_GUT = -KA * GUT;\ndxdt_A = KA * GUT - K * A;\n',
      'mrgsolve'
    );
    expect(out).toContain('GUT -> GUT (F = F1 / 2, lag = TL * 2)');
    expect(() =>
      importModelText(
        '$PARAM F1 = 0.8, K = 0.5\n$CMT A\n$ODE\nF_A = F1 * A;\ndxdt_A = -K * A;\n',
        'x.cpp',
        'mrgsolve'
      )
    ).toThrow("x.cpp:4:12: the bioavailability of A must not change with time (it reads 'A')");
  });
});

describe('mrgsolve $GLOBAL macros', () => {
  it('#define macros are expanded where used, a captured macro is an output, its annotation the description', () => {
    const out = translate(
      [
        '$PARAM @annotated',
        'CL : 1 : Clearance',
        'VC : 20 : Central volume',
        'VMAX : 0 : Maximum velocity',
        'KM : 2 : Michaelis constant',
        '$CMT CENT',
        '$GLOBAL',
        '#define CP (CENT/VC)',
        '#define CLNL (VMAX/(KM+CP))',
        '$ODE',
        'dxdt_CENT = -(CL+CLNL)*CP;',
        '$CAPTURE @annotated',
        'CP : Plasma concentration (mass/volume)'
      ].join('\n'),
      'mrgsolve'
    );
    expect(out).toContain('d/dt(CENT) = -(CL + VMAX / (KM + CENT / VC)) * (CENT / VC)');
    expect(out).toContain('CP = CENT / VC  "Plasma concentration (mass/volume)"');
  });
});

describe('mrgsolve $THETA', () => {
  it('gives the parameters THETA1, THETA2…', () => {
    const out = translate('$THETA 2 0.5\n$CMT A\n$ODE\ndxdt_A = -THETA1 / THETA2 * A;\n', 'mrgsolve');
    expect(out).toMatch(/parameters\n {2}THETA1 = 2\n {2}THETA2 = 0\.5\n/);
  });
});

describe('rxode2', () => {
  it('rxode2({}) text: constants are parameters, cmt() orders states, ifelse and expit, every time-varying quantity an output', () => {
    const out = translate(
      [
        'mod <- rxode2({',
        '  ka = 1; cl = 2; v = 10',
        '  cmt(depot)',
        '  d/dt(centr) = ka*depot - cl/v*centr',
        '  d/dt(depot) = -ka*depot',
        '  cp = centr/v',
        '  p = expit(cp - 1)',
        '  late = ifelse(t > 2, 1, 0)',
        '})'
      ].join('\n'),
      'rxode2'
    );
    expect(out).toMatch(/parameters\n {2}ka = 1\n {2}cl = 2\n {2}v = 10\n/);
    expect(out).toMatch(/states\n {2}depot\n {2}centr\n/);
    expect(out).toContain('p = 1 / (1 + exp(-(cp_2 - 1)))');
    expect(out).toContain('late = if(t > 2, 1, 0)');
  });

  it('rxode2("…"): the model as a string over several lines, its problems at their own lines', () => {
    const out = translate(
      'library(rxode2)\nmod <- rxode2("\n  k = 0.5\n  d/dt(A) = -k * A\n  A(0) = 10\n")\n',
      'rxode2'
    );
    expect(out).toContain('A(0) = 10');
    expect(() =>
      importModelText('mod <- rxode2("\n  k = 0.5\n  d/dt(A) = -k * foo(A)\n")\n', 'x.R', 'rxode2')
    ).toThrow(/^x\.R:3:18: rxode2 construct 'foo\(\)' is not supported/);
  });

  it('ini(): bounds and fix(), labels, dotted names; lnorm error; lag(); alag()', () => {
    const out = translate(
      [
        'f <- function() {',
        '  ini({',
        '    tka <- c(0, 0.5, 2); label("Absorption")',
        '    tcl <- fix(2)',
        '    tlag <- 0.25',
        '    eta.cl ~ 0.1',
        '    exp.sd <- 0.2',
        '  })',
        '  model({',
        '    cl.i <- tcl * exp(eta.cl)',
        '    alag(depot) <- tlag',
        '    d/dt(depot) <- -tka * depot',
        '    d/dt(center) <- tka * depot - cl.i / 10 * center',
        '    conc <- center / 10',
        '    conc ~ lnorm(exp.sd)',
        '  })',
        '}'
      ].join('\n'),
      'rxode2'
    );
    expect(out).toContain('tka = 0.5  "Absorption"');
    expect(out).toContain('tcl ~ lognormal(var = 0.1)');
    expect(out).toContain('cl_i = tcl');
    expect(out).toContain('conc = center / 10  ~ exponential(0.2)');
    expect(out).toContain('depot -> depot (lag = tlag)');
  });
});
