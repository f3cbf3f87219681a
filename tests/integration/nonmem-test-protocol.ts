/** A small run exercising what a NONMEM export must handle: mg/kg doses rounded to a
 * strength, a loading dose, infusions, missed doses, discontinuation, dropout, BLQ samples,
 * a counterfactual design (only the observed arm is exported). */
export const N = 40;
export const LLOQ = 0.5;

export const NONMEM_TEST_PROTOCOL = {
  name: 'nonmem export',
  seed: 5,
  design: 'counterfactual',
  cohort: { file: 'adults-nhanes.yaml', n: N },
  model: {
    model: 'pk1cmt_iv+linear',
    parameters: { CL: 2, V: 20, E0: 100, SLOPE: -5 },
    residualError: {
      C: { type: 'proportional', proportional: 0.2, lloq: LLOQ },
      E: { type: 'additive', additive: 2 }
    }
  },
  arms: [
    { name: 'placebo', placebo: true },
    {
      name: 'drug',
      regimen: {
        dose: 1,
        unit: 'mg/kg',
        loadingDose: 2,
        strengths: [5],
        interval: '12h',
        duration: '4d',
        infusion: '1h'
      }
    }
  ],
  schedule: { duration: '5d', visits: [0, '2d', '5d'], pkSampling: ['12h', '36h', '60h', '4d', '110h'] },
  endpoints: [{ name: 'dE', type: 'continuous', variable: 'E', visit: '5d', primary: true }],
  adherence: { missedDose: 0.2 },
  dropout: { rate: 0.3, per: '5d' },
  intercurrent: { discontinuation: [{ reason: 'adverse_event', probability: 0.3, by: '5d' }] }
};
