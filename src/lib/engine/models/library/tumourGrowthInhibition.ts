/**
 * Tumour growth inhibition (TGI) with exponential growth, drug-induced shrinkage
 * proportional to exposure, and resistance appearing as an exponential decay of the
 * drug's kill rate:
 *   dSLD/dt = KL·SLD − KD0·e^{−LAMBDA·t}·C·SLD,   SLD(0) = SLD0
 * Reference: L. Claret et al., "Model-based prediction of phase III overall survival in
 * colorectal cancer on the basis of phase II tumor dynamics", J Clin Oncol 27 (2009)
 * 4103–4108 (exposure here is the model concentration instead of the dose).
 */
import type { PdDeclaration } from '../modelDefinition';

export const tumourGrowthInhibition: PdDeclaration = {
  name: 'tgi_claret',
  title: 'tumour growth inhibition (Claret 2009)',
  reference: 'Claret et al., J Clin Oncol 27 (2009) 4103-4108',
  parameters: [
    { name: 'SLD0', value: 80, unit: 'mm', description: 'baseline sum of longest diameters' },
    { name: 'KL', value: 0.0003, unit: '1/h', description: 'tumour growth rate' },
    { name: 'KD0', value: 0.001, unit: 'L/(mg·h)', description: 'drug kill rate per unit concentration' },
    { name: 'LAMBDA', value: 0.0005, unit: '1/h', description: 'rate of resistance appearance' }
  ],
  states: [{ name: 'SLD', unit: 'mm', description: 'sum of longest tumour diameters' }],
  outputs: [{ name: 'SLD', unit: 'mm', description: 'sum of longest tumour diameters' }],
  initial(q, y) {
    y[0] = q[0];
  },
  rhs(t, y, q, dy, conc) {
    dy[0] = (q[1] - q[2] * Math.exp(-q[3] * t) * conc) * y[0];
  },
  output(_t, y, _q, _conc, out) {
    out[0] = y[0];
  }
};
