/**
 * Indirect response models I–IV: drug inhibits or stimulates the production (kin) or the
 * loss (kout) of a response R with baseline R0 = kin/kout.
 *   I:   dR/dt = kin·(1 − IMAX·C/(IC50 + C)) − kout·R
 *   II:  dR/dt = kin − kout·(1 − IMAX·C/(IC50 + C))·R
 *   III: dR/dt = kin·(1 + EMAX·C/(EC50 + C)) − kout·R
 *   IV:  dR/dt = kin − kout·(1 + EMAX·C/(EC50 + C))·R
 * with kin = KOUT·R0 and R(0) = R0.
 * Reference: N. L. Dayneka, V. Garg, W. J. Jusko, "Comparison of four basic models of
 * indirect pharmacodynamic responses", J Pharmacokinet Biopharm 21 (1993) 457–478.
 */
import type { PdDeclaration } from '../modelDefinition';

const REFERENCE = 'Dayneka, Garg & Jusko, J Pharmacokinet Biopharm 21 (1993) 457-478';

function indirectResponse(type: 1 | 2 | 3 | 4): PdDeclaration {
  const inhibition = type <= 2;
  const onProduction = type === 1 || type === 3;
  const drugName = inhibition ? 'IMAX' : 'EMAX';
  const potencyName = inhibition ? 'IC50' : 'EC50';
  const sign = inhibition ? -1 : 1;
  return {
    name: `idr${type}`,
    title: `indirect response type ${['I', 'II', 'III', 'IV'][type - 1]} (${inhibition ? 'inhibition' : 'stimulation'} of ${onProduction ? 'kin' : 'kout'})`,
    reference: REFERENCE,
    parameters: [
      { name: 'R0', value: 100, unit: '1', description: 'baseline response (kin/kout)' },
      { name: 'KOUT', value: 0.1, unit: '1/h', description: 'first-order loss rate of the response' },
      {
        name: drugName,
        value: inhibition ? 0.9 : 2,
        unit: '1',
        description: `maximal fractional ${inhibition ? 'inhibition' : 'stimulation'}`
      },
      { name: potencyName, value: 2, unit: 'mg/L', description: 'concentration at half-maximal drug effect' }
    ],
    states: [{ name: 'R', unit: '1', description: 'response' }],
    outputs: [{ name: 'R', unit: '1', description: 'response' }],
    tolerance: { rtol: 1e-6, atol: 1e-9 },
    initial(q, y) {
      y[0] = q[0];
    },
    // stimulation or inhibition of production; of loss it multiplies R by the drug
    affine: onProduction,
    rhs(_t, y, q, dy, conc) {
      const kout = q[1];
      const kin = kout * q[0];
      const drug = 1 + (sign * q[2] * conc) / (q[3] + conc);
      dy[0] = onProduction ? kin * drug - kout * y[0] : kin - kout * drug * y[0];
    },
    output(_t, y, _q, _conc, out) {
      out[0] = y[0];
    }
  };
}

export const indirectResponse1 = indirectResponse(1);
export const indirectResponse2 = indirectResponse(2);
export const indirectResponse3 = indirectResponse(3);
export const indirectResponse4 = indirectResponse(4);
