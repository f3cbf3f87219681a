/**
 * Effect-compartment (biophase) model with a sigmoid Emax link:
 *   dCe/dt = KE0·(C − Ce),   E = E0 + EMAX·Ce^γ/(EC50^γ + Ce^γ)
 * Reference: L. B. Sheiner, D. R. Stanski, S. Vozeh, R. D. Miller, J. Ham, "Simultaneous
 * modeling of pharmacokinetics and pharmacodynamics: application to d-tubocurarine",
 * Clin Pharmacol Ther 25 (1979) 358–371.
 */
import type { PdDeclaration } from '../modelDefinition';
import { hill } from './directEffect';

export const effectCompartment: PdDeclaration = {
  name: 'effect_compartment',
  title: 'effect compartment (ke0) with sigmoid Emax',
  reference: 'Sheiner et al., Clin Pharmacol Ther 25 (1979) 358-371',
  parameters: [
    { name: 'KE0', value: 0.5, unit: '1/h', description: 'effect-site equilibration rate constant' },
    { name: 'E0', value: 0, unit: '1', description: 'baseline effect' },
    { name: 'EMAX', value: 1, unit: '1', description: 'maximal drug effect' },
    { name: 'EC50', value: 1, unit: 'mg/L', description: 'effect-site concentration at half-maximal effect' },
    { name: 'GAMMA', value: 1, unit: '1', description: 'Hill coefficient' }
  ],
  states: [{ name: 'Ce', unit: 'mg/L', description: 'effect-site concentration' }],
  outputs: [
    { name: 'Ce', unit: 'mg/L', description: 'effect-site concentration' },
    { name: 'E', unit: '1', description: 'drug effect' }
  ],
  initial(_q, y) {
    y[0] = 0;
  },
  affine: true,
  rhs(_t, y, q, dy, conc) {
    dy[0] = q[0] * (conc - y[0]);
  },
  output(_t, y, q, _conc, out) {
    out[0] = y[0];
    out[1] = q[1] + q[2] * hill(y[0], q[3], q[4]);
  }
};
