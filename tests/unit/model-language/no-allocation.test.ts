/**
 * The functions a solver calls at every step (right-hand side, Jacobian, outputs, PK
 * rates, the individual quantities they read) allocate nothing: scalars in locals, values
 * written into the arrays they are given. Checked on the generated source of every
 * shipped model, the BM1 benchmark model and a model using every construct of the
 * language, so a change to the code generator that allocates fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModelText } from '../../../src/lib/engine/model-language';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Every construct: individual quantities (cached), if, comparisons, not, ^, functions. */
const EVERYTHING = `model everything
parameters
  K = 0.1 [1/h]
  EC50 = 2 [1]
  H = 1.5 [1]
  A0 = 10 [1]
individual
  KE = K * exp(log(H) - log(H)) * sqrt(H / H) [1/h]
  KH = pow(H, 2) / max(H, 1) + min(H, 1) - abs(-H) + log10(10) [1]
states
  A(0) = A0 [1]
  E [1]
odes
  on = if(t > 24 and not (A < 0) or A == 0, 1, 0.5) [1]
  d/dt(A) = -KE * A * on
  d/dt(E) = K * A^KH / (EC50^KH + A^KH) - KE * E
outputs
  Y = A + E [1]
`;

const HOT = ['rhs', 'jacobian', 'output', 'rates'];
// 'if' is the keyword of the cached individual quantities' freshness test.
const CALLS = new Set([
  'if',
  'exp',
  'log',
  'log10',
  'sqrt',
  'abs',
  'pow',
  'min',
  'max',
  'individual',
  'fill'
]);

/** The bodies of the generated functions a solver calls per step, by name. */
function hotBodies(source: string): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const m of source.matchAll(/^(?:function )?(\w+)\([^)]*\) \{\n([\s\S]*?)\n\}/gm))
    if (HOT.includes(m[1]) || m[1] === 'individual') bodies.set(m[1], m[2]);
  return bodies;
}

/** What in a function body could allocate: literals, constructors, closures, strings, calls. */
function allocations(body: string): string[] {
  const found: string[] = [];
  for (const [what, re] of [
    ['new', /\bnew\b/],
    ['a closure', /=>|\bfunction\b/],
    ['an object literal or block', /[{}]/],
    ['an array literal', /(?<![\w\])])\s*\[/],
    ['a string', /['"`]/],
    ['a spread', /\.\.\./]
  ] as const)
    if (re.test(body)) found.push(what);
  for (const m of body.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g))
    if (!CALLS.has(m[1])) found.push(`a call of ${m[1]}`);
  return found;
}

const texts: [string, string][] = [
  ...readdirSync(`${ROOT}models`)
    .filter((f) => f.endsWith('.model'))
    .map((f): [string, string] => [f, readFileSync(`${ROOT}models/${f}`, 'utf8')]),
  ['bm1_full_ode.model', readFileSync(`${ROOT}tests/bench/bm1_full_ode.model`, 'utf8')],
  ['everything', EVERYTHING]
];

describe('generated code allocates nothing per solver step', () => {
  it('finds what would allocate (the check itself can fail)', () => {
    expect(allocations('dy[0] = [y[0]][0];')).toEqual(['an array literal']);
    expect(allocations('const v = new Float64Array(2);')).toEqual(['new', 'a call of Float64Array']);
    expect(allocations('out[0] = ((a) => a)(y[0]);')).toContain('a closure');
    expect(allocations('out[0] = { v: y[0] }.v;')).toEqual(['an object literal or block']);
    expect(allocations('out[0] = Math.hypot(y[0], y[1]);')).toEqual(['a call of hypot']);
    expect(allocations('dy[0] = (p[1] * pow(y[0], 2)) - exp(m0);')).toEqual([]);
  });

  for (const [name, text] of texts) {
    it(name, () => {
      const { source, model } = compileModelText(text, name);
      const bodies = hotBodies(source);
      const expected = model.kind === 'ode' ? ['rhs', 'jacobian', 'output'] : ['rates'];
      for (const f of expected) expect(bodies.has(f), `${f} in the generated source`).toBe(true);
      for (const [f, body] of bodies) expect(allocations(body), `${name}: ${f}`).toEqual([]);
    });
  }

  it('caches individual quantities in an array allocated once per model', () => {
    const { source } = compileModelText(EVERYTHING);
    expect(hotBodies(source).has('individual')).toBe(true);
    expect(source.match(/new Float64Array/g)).toHaveLength(1);
  });
});
