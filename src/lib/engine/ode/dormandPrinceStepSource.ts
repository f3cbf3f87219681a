/**
 * The statements of one Dormand–Prince step specialised to a system of n states, as
 * JavaScript source for a system's own `step` (`OdeSystem.step`): the stage loops of
 * `DormandPrince45.attemptStep` unrolled over the states, stage values in locals, the
 * right-hand side printed inline at each stage by the caller. The arithmetic is that of
 * `attemptStep`, term for term and in the same order, so that the results are identical
 * to the bit; the stages and the error estimate are written to the work arrays at the end.
 *
 * Everything printed here is a number of the tableau (printed by String, which reads
 * back exactly), a local named from indices, or what `rhs` returns.
 *
 * The statements expect in scope: `t0` (the step's start), `hh` (its size), `tNew` (its
 * end), `y` (the state), `work` (`DormandPrinceWork`), `rtol`, `atol` and, unless
 * `withInput` is false, `input` (null, or a Float64Array added to every derivative, as a
 * constant infusion rate is); they end with `return` of the scaled RMS error.
 * `rhs(state, stage)` prints the right-hand side of stage `stage` (2 to 7; stages 6 and 7
 * are both at the step's end) at the state whose component i is the local `state(i)` and
 * at time `t` (a local declared before it): statements, then one expression per
 * derivative. Each stage's statements go in a block of their own, so the locals they
 * declare do not clash.
 */
import { DP5 } from './dormandPrinceTableau';

export interface StageRhs {
  statements: string[];
  derivatives: string[];
}

const num = (x: number): string => {
  if (!Number.isFinite(x)) throw new Error(`cannot print the number ${x}`);
  return x < 0 ? `(${String(x)})` : String(x);
};

export function dormandPrinceStepSource(
  n: number,
  rhs: (state: (i: number) => string, stage: number) => StageRhs,
  withInput = true
): string[] {
  const D = DP5;
  const states = Array.from({ length: n }, (_, i) => i);
  const lines: string[] = ['const k1 = work.k1;'];
  for (const i of states) lines.push(`const u${i} = y[${i}], a${i} = k1[${i}];`);
  /** Stage s: its state z{s}_i from `combination(i)`, its derivative into b{s}_i at time `time`. */
  const stage = (s: number, time: string, combination: (i: number) => string) => {
    for (const i of states) lines.push(`const z${s}_${i} = u${i} + hh * ${combination(i)};`);
    for (const i of states) lines.push(`let b${s}_${i};`);
    const f = rhs((i) => `z${s}_${i}`, s);
    lines.push('{', `const t = ${time};`, ...f.statements);
    f.derivatives.forEach((d, i) => lines.push(`b${s}_${i} = ${d};`));
    lines.push('}');
    if (withInput)
      lines.push('if (input !== null) {', ...states.map((i) => `b${s}_${i} += input[${i}];`), '}');
  };
  const terms = (coefficients: [number, string][], i: number) =>
    coefficients.map(([c, k]) => `${num(c)} * ${k}${i}`).join(' + ');
  // yStage = y + hh * A21 * k1 multiplies hh by A21 first; the other stages sum first.
  stage(2, `t0 + ${num(D.C2)} * hh`, (i) => `${num(D.A21)} * a${i}`);
  const combination = (coefficients: [number, string][]) => (i: number) => `(${terms(coefficients, i)})`;
  stage(
    3,
    `t0 + ${num(D.C3)} * hh`,
    combination([
      [D.A31, 'a'],
      [D.A32, 'b2_']
    ])
  );
  stage(
    4,
    `t0 + ${num(D.C4)} * hh`,
    combination([
      [D.A41, 'a'],
      [D.A42, 'b2_'],
      [D.A43, 'b3_']
    ])
  );
  stage(
    5,
    `t0 + ${num(D.C5)} * hh`,
    combination([
      [D.A51, 'a'],
      [D.A52, 'b2_'],
      [D.A53, 'b3_'],
      [D.A54, 'b4_']
    ])
  );
  stage(
    6,
    'tNew',
    combination([
      [D.A61, 'a'],
      [D.A62, 'b2_'],
      [D.A63, 'b3_'],
      [D.A64, 'b4_'],
      [D.A65, 'b5_']
    ])
  );
  stage(
    7,
    'tNew',
    combination([
      [D.A71, 'a'],
      [D.A73, 'b3_'],
      [D.A74, 'b4_'],
      [D.A75, 'b5_'],
      [D.A76, 'b6_']
    ])
  );
  const error: [number, string][] = [
    [D.E1, 'a'],
    [D.E3, 'b3_'],
    [D.E4, 'b4_'],
    [D.E5, 'b5_'],
    [D.E6, 'b6_'],
    [D.E7, 'b7_']
  ];
  lines.push('let err = 0;');
  for (const i of states) {
    lines.push(
      '{',
      `const e = hh * (${terms(error, i)});`,
      `const yi = Math.abs(u${i});`,
      `const yn = Math.abs(z7_${i});`,
      'const sk = atol + rtol * (yi > yn ? yi : yn);',
      'const r = e / sk;',
      'err += r * r;',
      '}'
    );
  }
  const arrays = ['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'yStage', 'yNew'];
  const locals = ['b2_', 'b3_', 'b4_', 'b5_', 'b6_', 'b7_', 'z6_', 'z7_'];
  arrays.forEach((a, j) => {
    lines.push(`const ${a} = work.${a};`);
    for (const i of states) lines.push(`${a}[${i}] = ${locals[j]}${i};`);
  });
  lines.push(`return Math.sqrt(err / ${n});`);
  return lines;
}
