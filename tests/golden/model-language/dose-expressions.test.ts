/**
 * Dose targets whose bioavailability, lag and volume are expressions (of parameters and
 * individual quantities), against the closed form of one-compartment oral PK with a lag:
 *   C(t) = F·D·KA / (V·(KA − k)) · (e^{−k(t−tlag)} − e^{−KA(t−tlag)}),  t > tlag; 0 before,
 * k = CL/V (Gibaldi & Perrier, Pharmacokinetics, 2nd ed., 1982, eq. 1.70 with a lag),
 * of an IV bolus into a concentration state, C(t) = D/Vd·e^{−kt}, and of a zero-order infusion
 * R = D/T for T hours, C(t) = R/CL·(1 − e^{−kt}) while it runs, then C(T)·e^{−k(t−T)}.
 */
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';
import { parameterValues, typicalProfile } from '../../../src/lib/engine/model-language/typical-profile';
import { problems } from '../../unit/model-language/problems';

const PARAMETERS = `parameters
  CL = 5 [L/h] "clearance"
  V = 50 [L] "volume"
  KA = 1.2 [1/h] "absorption rate constant"
  LOGITF = 0.4 [1] "bioavailability on the logit scale"
  TL = 0.25 [h] "half the lag time"
`;
/** F = 1/(1 + e^−0.4), tlag = 2·0.25 h. */
const F = 1 / (1 + Math.exp(-0.4));
const TLAG = 0.5;
const [CL, V, KA, D] = [5, 50, 1.2, 100];
const k = CL / V;
const times = Float64Array.from({ length: 97 }, (_, i) => i * 0.25);
const closedForm = (t: number) =>
  t <= TLAG ? 0 : ((F * D * KA) / (V * (KA - k))) * (Math.exp(-k * (t - TLAG)) - Math.exp(-KA * (t - TLAG)));

function profile(text: string, target: string, output = 0) {
  const compiled = compileModelText(text);
  const p = parameterValues(compiled, new Map());
  return typicalProfile(compiled, p, [{ time: 0, amount: D, target }], times).values[output];
}

function expectClose(actual: Float64Array, expected: (t: number) => number, tolerance: number) {
  times.forEach((t, i) => {
    const e = expected(t);
    expect(Math.abs(actual[i] - e), `t=${t}`).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(e), 1e-9));
  });
}

describe('model language: dose targets with expressions', () => {
  it('pk: F and TLAG as expressions of parameters and individual quantities (closed form)', () => {
    const text = `model oral_expr
${PARAMETERS}
individual
  FBIO = 1 / (1 + exp(-LOGITF)) [1]
pk one_compartment(oral, CL = CL, V = V, KA = KA, F = FBIO, TLAG = 2 * TL)
`;
    expectClose(profile(text, 'depot'), closedForm, 1e-9);
  });

  it('doses block: F, lag and volume as expressions, solved as ODEs', () => {
    const text = `model oral_ode_expr
${PARAMETERS}
tolerance(rtol = 1e-10, atol = 1e-12)
states
  A [mg] "amount at the absorption site"
  CC [mg/L] "central concentration"
odes
  d/dt(A) = -KA * A
  d/dt(CC) = KA * A / V - CL / V * CC
outputs
  C = CC [mg/L]
doses
  oral -> A (F = 1 / (1 + exp(-LOGITF)), lag = TL * 2)
  iv -> CC (volume = V / 2 + V / 2)
`;
    expectClose(profile(text, 'oral'), closedForm, 1e-7);
    // An observation at a dose's time is taken before the dose (the engine's convention).
    expectClose(profile(text, 'iv'), (t) => (t === 0 ? 0 : (D / V) * Math.exp(-k * t)), 1e-7);
  });

  it('doses block: a model-defined infusion by duration or rate; a dose with its own duration keeps it', () => {
    // Zero-order input R = D/T for T hours: C = R/CL·(1 − e^{−kt}) while it runs, then C(T)·e^{−k(t−T)}.
    const infusion = (T: number) => (t: number) => {
      const R = D / T;
      const during = (u: number) => (R / CL) * (1 - Math.exp(-k * u));
      return t <= T ? during(t) : during(T) * Math.exp(-k * (t - T));
    };
    const text = `model infusion
parameters
  CL = 5 [L/h] "clearance"
  V = 50 [L] "volume"
  TINF = 1.5 [h] "infusion duration"
  RATE = 40 [mg/h] "infusion rate"
tolerance(rtol = 1e-10, atol = 1e-12)
states
  A [mg] "amount in the body"
odes
  d/dt(A) = -CL / V * A
outputs
  C = A / V [mg/L]
doses
  timed -> A (duration = 2 * TINF)
  rated -> A (rate = RATE / 2)
`;
    expectClose(profile(text, 'timed'), infusion(3), 1e-7);
    expectClose(profile(text, 'rated'), infusion(D / 20), 1e-7);
    const compiled = compileModelText(text);
    const own = typicalProfile(
      compiled,
      parameterValues(compiled, new Map()),
      [{ time: 0, amount: D, target: 'timed', duration: 4 }],
      times
    ).values[0];
    expectClose(own, infusion(4), 1e-7);
    expect(problems(text.replace('(rate = RATE / 2)', '(rate = RATE, duration = TINF)'))).toEqual([
      "16:28: give an infusion's duration or its rate, not both"
    ]);
  });

  it('refuses names a dose setting may not see, with suggestions', () => {
    const text = `model m
parameters
  K = 1 [1/h]
  FB = 0.5 [1]
states
  A [mg]
odes
  d/dt(A) = -K * A
outputs
  Y = A
doses
  gut -> A (F = FBB * 2, lag = t)
`;
    expect(problems(text)).toEqual([
      "12:17: unknown name 'FBB'; did you mean 'FB'?",
      "12:32: 't' (the time) cannot be used here: an initial condition, pk argument or dose setting sees parameters and individual quantities"
    ]);
  });
});
