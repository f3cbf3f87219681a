/**
 * Direct (immediate) concentration–effect models, no states:
 *   linear:        E = E0 + SLOPE·C
 *   Emax:          E = E0 + EMAX·C/(EC50 + C)
 *   sigmoid Emax:  E = E0 + EMAX·C^γ/(EC50^γ + C^γ)   (Hill equation)
 * Reference: N. H. G. Holford, L. B. Sheiner, "Understanding the dose-effect relationship",
 * Clin Pharmacokinet 6 (1981) 429–453.
 */
import type { ParameterDeclaration, PdDeclaration } from '../modelDefinition';

const REFERENCE = 'Holford & Sheiner, Clin Pharmacokinet 6 (1981) 429-453';
const EFFECT = [{ name: 'E', unit: '1', description: 'drug effect (baseline + drug)' }];
const E0: ParameterDeclaration = { name: 'E0', value: 0, unit: '1', description: 'baseline effect' };
const EMAX: ParameterDeclaration = { name: 'EMAX', value: 1, unit: '1', description: 'maximal drug effect' };
const EC50: ParameterDeclaration = {
  name: 'EC50',
  value: 1,
  unit: 'mg/L',
  description: 'concentration giving half the maximal effect'
};

/** C^γ/(EC50^γ + C^γ), written to stay finite for C = 0 and large γ. */
export function hill(conc: number, ec50: number, gamma: number): number {
  if (conc <= 0) return 0;
  if (gamma === 1) return conc / (ec50 + conc);
  return 1 / (1 + Math.pow(ec50 / conc, gamma));
}

export const linearEffect: PdDeclaration = {
  name: 'linear',
  title: 'linear effect',
  reference: REFERENCE,
  parameters: [E0, { name: 'SLOPE', value: 0.1, unit: 'L/mg', description: 'effect per unit concentration' }],
  states: [],
  outputs: EFFECT,
  initial() {},
  affine: true,
  rhs() {},
  output(_t, _y, q, conc, out) {
    out[0] = q[0] + q[1] * conc;
  }
};

export const emaxEffect: PdDeclaration = {
  name: 'emax',
  title: 'Emax effect',
  reference: REFERENCE,
  parameters: [E0, EMAX, EC50],
  states: [],
  outputs: EFFECT,
  initial() {},
  affine: true,
  rhs() {},
  output(_t, _y, q, conc, out) {
    out[0] = q[0] + q[1] * hill(conc, q[2], 1);
  }
};

export const sigmoidEmaxEffect: PdDeclaration = {
  name: 'sigmoid_emax',
  title: 'sigmoid Emax (Hill) effect',
  reference: REFERENCE,
  parameters: [E0, EMAX, EC50, { name: 'GAMMA', value: 2, unit: '1', description: 'Hill coefficient' }],
  states: [],
  outputs: EFFECT,
  initial() {},
  affine: true,
  rhs() {},
  output(_t, _y, q, conc, out) {
    out[0] = q[0] + q[1] * hill(conc, q[2], q[3]);
  }
};
