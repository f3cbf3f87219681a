/**
 * Fasting plasma glucose → HbA1c chain for type 2 diabetes, driven by the central
 * concentration C of an oral glucose-lowering drug:
 *   dFPG/dt   = KOUTF·FPG0·(1 + DP·t)·(1 − IMAX·C/(IC50 + C)) − KOUTF·FPG,   FPG(0) = FPG0
 *   dHBA1C/dt = KOUTA·(HBA1C0 + SLOPE·(FPG − FPG0) − HBA1C),                   HBA1C(0) = HBA1C0
 * FPG is an indirect response (inhibition of glucose production, Dayneka 1993 type I)
 * whose production drifts up by DP per hour (disease progression, as in de Winter 2006);
 * HbA1c turns over first-order (red-cell glycation, half-life ≈ 5–6 weeks) towards a
 * steady state that is linear in FPG with the ADAG slope (HbA1c % = (eAG mg/dL + 46.7) /
 * 28.7, i.e. 18.016/28.7 ≈ 0.628 % per mmol/L), anchored at each twin's own baseline so
 * that an untreated twin without progression stays where it is.
 * References: W. de Winter et al., "A mechanism-based disease progression model for
 * comparison of long-term effects of pioglitazone, metformin and gliclazide on disease
 * processes underlying type 2 diabetes mellitus", J Pharmacokinet Pharmacodyn 33 (2006)
 * 313–343; B. Hamrén et al., "Models for plasma glucose, HbA1c, and hemoglobin
 * interrelationships in patients with type 2 diabetes following tesaglitazar
 * treatment", Clin Pharmacol Ther 84 (2008) 228–235; D. M. Nathan et al. (ADAG),
 * "Translating the A1C assay into estimated average glucose values", Diabetes Care 31
 * (2008) 1473–1478; N. L. Dayneka, V. Garg, W. J. Jusko, J Pharmacokinet Biopharm 21
 * (1993) 457–478.
 */
import type { PdDeclaration } from '../modelDefinition';

export const fpgHba1c: PdDeclaration = {
  name: 'fpg_hba1c',
  title: 'fasting glucose indirect response with HbA1c turnover (de Winter 2006, ADAG)',
  reference:
    'de Winter et al., J Pharmacokinet Pharmacodyn 33 (2006) 313-343; Hamren et al., Clin Pharmacol Ther 84 (2008) 228-235; Nathan et al., Diabetes Care 31 (2008) 1473-1478',
  parameters: [
    { name: 'FPG0', value: 9.4, unit: 'mmol/L', description: 'baseline fasting plasma glucose' },
    { name: 'HBA1C0', value: 8.2, unit: '%', description: 'baseline HbA1c (NGSP)' },
    {
      name: 'KOUTF',
      value: 0.0096,
      unit: '1/h',
      description: 'first-order turnover of FPG (half-life ≈ 3 days)'
    },
    {
      name: 'KOUTA',
      value: 0.00075,
      unit: '1/h',
      description: 'first-order turnover of HbA1c (half-life ≈ 5.5 weeks)'
    },
    {
      name: 'SLOPE',
      value: 18.016 / 28.7,
      unit: '%/(mmol/L)',
      description: 'HbA1c steady-state change per mmol/L of glucose (ADAG)'
    },
    { name: 'IMAX', value: 0.15, unit: '1', description: 'maximal fractional inhibition of FPG production' },
    { name: 'IC50', value: 0.011, unit: 'mg/L', description: 'concentration at half-maximal inhibition' },
    {
      name: 'DP',
      value: 0,
      unit: '1/h',
      description: 'disease progression: relative rise of FPG production per hour'
    }
  ],
  states: [
    { name: 'FPG', unit: 'mmol/L', description: 'fasting plasma glucose' },
    { name: 'HBA1C', unit: '%', description: 'glycated haemoglobin' }
  ],
  outputs: [
    { name: 'FPG', unit: 'mmol/L', description: 'fasting plasma glucose' },
    { name: 'HBA1C', unit: '%', description: 'glycated haemoglobin (NGSP)' }
  ],
  tolerance: { rtol: 1e-6, atol: 1e-9 },
  // linear in FPG and HbA1c with constant rates (the model text's compiler finds the same)
  affine: true,
  initial(q, y) {
    y[0] = q[0];
    y[1] = q[1];
  },
  rhs(t, y, q, dy, conc) {
    const fpg0 = q[0];
    const koutF = q[2];
    const inhibition = 1 - (q[5] * conc) / (q[6] + conc);
    dy[0] = koutF * fpg0 * (1 + q[7] * t) * inhibition - koutF * y[0];
    dy[1] = q[3] * (q[1] + q[4] * (y[0] - fpg0) - y[1]);
  },
  output(_t, y, _q, _conc, out) {
    out[0] = y[0];
    out[1] = y[1];
  }
};
