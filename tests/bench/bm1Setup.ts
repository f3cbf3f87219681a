/** BM1 model, twin parameters, doses and times, shared by the benchmarks and golden tests. */
import { readFileSync } from 'node:fs';
import { compileModelText } from '../../src/lib/engine/model-language';
import { resolveModel, parameterIndex, type Dose, type ModelDefinition } from '../../src/lib/engine/models';

export function bm1Model(): ModelDefinition {
  return resolveModel('pk2cmt_oral+idr1');
}

export function bm1Times(): Float64Array {
  return Float64Array.from({ length: 673 }, (_, i) => i);
}

export function bm1Doses(): Dose[] {
  return Array.from({ length: 28 }, (_, i) => ({ time: 24 * i, amount: 100, target: 'depot' }));
}

/** Parameters of twins firstId..firstId+n-1 (deterministic quasi-random covariates). */
export function bm1Parameters(firstId: number, n: number): Float64Array {
  const model = bm1Model();
  const nP = model.parameters.length;
  const idx = (name: string) => parameterIndex(model, name);
  const [iCL, iV1, iQ, iV2, iKA, iF, iTLAG, iR0, iKOUT, iIMAX, iIC50] = [
    'CL',
    'V1',
    'Q',
    'V2',
    'KA',
    'F',
    'TLAG',
    'R0',
    'KOUT',
    'IMAX',
    'IC50'
  ].map(idx);
  const p = new Float64Array(n * nP);
  for (let r = 0; r < n; r++) {
    const i = firstId + r;
    const u = (i * 0.6180339887498949) % 1;
    const w = (i * 0.4142135623730951) % 1;
    const wt = 50 + 50 * u;
    const o = r * nP;
    p[o + iCL] = 5 * Math.pow(wt / 70, 0.75) * Math.exp(0.3 * (w - 0.5));
    p[o + iV1] = 50 * (wt / 70);
    p[o + iQ] = 10;
    p[o + iV2] = 100;
    p[o + iKA] = Math.exp(0.4 * (u - 0.5));
    p[o + iF] = 1;
    p[o + iTLAG] = 0;
    p[o + iR0] = 80 + 40 * w;
    p[o + iKOUT] = 0.1;
    p[o + iIMAX] = 0.9;
    p[o + iIC50] = 2;
  }
  return p;
}

/**
 * BM1 written as text: models/pk2cmt_oral_idr1.model (closed-form PK + the response's
 * ODE) or tests/bench/bm1_full_ode.model (the same equations as 4 ODEs).
 */
export function bm1TextModel(kind: 'closed-form PK' | 'full ODE'): ModelDefinition {
  const path = kind === 'full ODE' ? './bm1_full_ode.model' : '../../models/pk2cmt_oral_idr1.model';
  return compileModelText(readFileSync(new URL(path, import.meta.url), 'utf8')).model;
}

/** bm1Parameters rearranged for `model`, whose parameters carry the library's names. */
export function bm1ParametersFor(model: ModelDefinition, firstId: number, n: number): Float64Array {
  const library = bm1Model().parameters;
  const from = model.parameters.map((p) => library.findIndex((q) => q.name === p.name));
  if (from.includes(-1)) throw new Error(`model ${model.name} does not name BM1's parameters`);
  const source = bm1Parameters(firstId, n);
  const p = new Float64Array(n * from.length);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < from.length; i++) p[r * from.length + i] = source[r * library.length + from[i]];
  return p;
}
