/**
 * Full target-mediated drug disposition (TMDD) with a tissue compartment:
 *   dL/dt  = −(KEL + KPT)·L + KTP·AT/V − KON·L·R + KOFF·RL       (+ doses / V)
 *   dAT/dt = KPT·L·V − KTP·AT
 *   dR/dt  = KSYN − KDEG·R − KON·L·R + KOFF·RL,      R(0) = KSYN/KDEG
 *   dRL/dt = KON·L·R − (KOFF + KINT)·RL
 * L, R, RL are concentrations (nM), AT an amount (nmol). Binding is fast compared with
 * the other processes, which makes the system stiff: it runs on the Rosenbrock solver
 * with the analytic Jacobian below.
 * Reference: D. E. Mager, W. J. Jusko, "General pharmacokinetic model for drugs
 * exhibiting target-mediated drug disposition", J Pharmacokinet Pharmacodyn 28 (2001)
 * 507–532, equations 1–4.
 */
import type { OdeModel } from '../modelDefinition';

export const tmddFull: OdeModel = {
  kind: 'ode',
  name: 'tmdd_full',
  title: 'full target-mediated drug disposition (Mager & Jusko 2001)',
  reference: 'Mager & Jusko, J Pharmacokinet Pharmacodyn 28 (2001) 507-532',
  parameters: [
    { name: 'KEL', value: 0.1, unit: '1/h', description: 'linear elimination rate of free drug' },
    { name: 'V', value: 3, unit: 'L', description: 'central volume' },
    { name: 'KPT', value: 0.05, unit: '1/h', description: 'distribution rate central → tissue' },
    { name: 'KTP', value: 0.03, unit: '1/h', description: 'distribution rate tissue → central' },
    { name: 'KON', value: 10, unit: '1/(nM·h)', description: 'second-order binding rate' },
    { name: 'KOFF', value: 1, unit: '1/h', description: 'dissociation rate' },
    { name: 'KINT', value: 0.1, unit: '1/h', description: 'internalisation rate of the complex' },
    { name: 'KSYN', value: 1, unit: 'nM/h', description: 'target synthesis rate' },
    { name: 'KDEG', value: 0.2, unit: '1/h', description: 'target degradation rate' }
  ],
  states: [
    { name: 'L', unit: 'nM', description: 'free drug concentration (central)' },
    { name: 'AT', unit: 'nmol', description: 'drug amount in tissue' },
    { name: 'R', unit: 'nM', description: 'free target concentration' },
    { name: 'RL', unit: 'nM', description: 'drug–target complex concentration' }
  ],
  outputs: [
    { name: 'L', unit: 'nM', description: 'free drug concentration' },
    { name: 'R', unit: 'nM', description: 'free target' },
    { name: 'RL', unit: 'nM', description: 'drug–target complex' },
    { name: 'Rtot', unit: 'nM', description: 'total target (free + bound)' }
  ],
  doseTargets: [{ name: 'central', state: 0, volume: 'V' }],
  tolerance: { rtol: 1e-8, atol: 1e-10 },
  stiff: true,
  initial(p, y) {
    y[0] = 0;
    y[1] = 0;
    y[2] = p[7] / p[8];
    y[3] = 0;
  },
  rhs(_t, y, p, dy) {
    const [kel, v, kpt, ktp, kon, koff, kint, ksyn, kdeg] = [
      p[0],
      p[1],
      p[2],
      p[3],
      p[4],
      p[5],
      p[6],
      p[7],
      p[8]
    ];
    const binding = kon * y[0] * y[2] - koff * y[3];
    dy[0] = -(kel + kpt) * y[0] + (ktp * y[1]) / v - binding;
    dy[1] = kpt * y[0] * v - ktp * y[1];
    dy[2] = ksyn - kdeg * y[2] - binding;
    dy[3] = binding - kint * y[3];
  },
  jacobian(_t, y, p, j) {
    const kel = p[0],
      v = p[1],
      kpt = p[2],
      ktp = p[3],
      kon = p[4],
      koff = p[5],
      kint = p[6],
      kdeg = p[8];
    j.fill(0);
    j[0] = -(kel + kpt) - kon * y[2];
    j[1] = ktp / v;
    j[2] = -kon * y[0];
    j[3] = koff;
    j[4] = kpt * v;
    j[5] = -ktp;
    j[8] = -kon * y[2];
    j[10] = -kdeg - kon * y[0];
    j[11] = koff;
    j[12] = kon * y[2];
    j[14] = kon * y[0];
    j[15] = -(koff + kint);
  },
  output(_t, y, _p, out) {
    out[0] = y[0];
    out[1] = y[2];
    out[2] = y[3];
    out[3] = y[2] + y[3];
  }
};
