/**
 * Signal-transduction transit compartments: a chain of n compartments with a common
 * rate KTR = 1/τ delays an Emax stimulus before it reaches the response.
 *   dA1/dt = KTR·(EMAX·C/(EC50 + C) − A1),  dAi/dt = KTR·(A(i−1) − Ai),  E = E0 + A_n
 * Reference: Y.-N. Sun, W. J. Jusko, "Transit compartments versus gamma distribution
 * function to model signal transduction processes in pharmacodynamics",
 * J Pharm Sci 87 (1998) 732–737.
 */
import type { PdDeclaration, StateDeclaration } from '../modelDefinition';

export function transitCompartments(n: number): PdDeclaration {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`transit chain length must be ≥ 1, got ${n}`);
  const states: StateDeclaration[] = Array.from({ length: n }, (_, i) => ({
    name: `A${i + 1}`,
    unit: '1',
    description: `signal in transit compartment ${i + 1}`
  }));
  return {
    name: `transit${n}`,
    title: `signal transduction through ${n} transit compartments`,
    reference: 'Sun & Jusko, J Pharm Sci 87 (1998) 732-737',
    parameters: [
      { name: 'KTR', value: 0.5, unit: '1/h', description: 'transit rate constant (1/τ)' },
      { name: 'E0', value: 0, unit: '1', description: 'baseline response' },
      { name: 'EMAX', value: 10, unit: '1', description: 'maximal stimulus' },
      { name: 'EC50', value: 1, unit: 'mg/L', description: 'concentration at half-maximal stimulus' }
    ],
    states,
    outputs: [{ name: 'E', unit: '1', description: 'delayed response' }],
    // linear in the A_i with constant rates (the model text's compiler finds the same)
    affine: true,
    initial(_q, y) {
      y.fill(0);
    },
    rhs(_t, y, q, dy, conc) {
      const ktr = q[0];
      dy[0] = ktr * ((q[2] * conc) / (q[3] + conc) - y[0]);
      for (let i = 1; i < n; i++) dy[i] = ktr * (y[i - 1] - y[i]);
    },
    output(_t, y, q, _conc, out) {
      out[0] = q[1] + y[n - 1];
    }
  };
}

export const transit3 = transitCompartments(3);
