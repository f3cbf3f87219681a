/**
 * Disease progression with placebo response and drug effects (score-type endpoints):
 *   natural history  linear       dS/dt = SLOPE·(1 − Edm)
 *                    exponential  dS/dt = KPROG·S·(1 − Edm)
 *                    asymptotic   dS/dt = KPROG·(SSS − S)·(1 − Edm)          S(0) = S0
 *   disease-modifying effect  Edm = EMAXDM·C/(EC50DM + C)   (slows progression)
 *   symptomatic effect        Esym = EMAXSYM·C/(EC50SYM + C) (offsets the score)
 *   placebo                   P(t) = PMAX·(1 − 2^{−t/PHALF})  (onset half-life PHALF)
 *   observed score            Y = S − P(t) − Esym
 * Reference: P. L. S. Chan, N. H. G. Holford, "Drug treatment effects on disease
 * progression", Annu Rev Pharmacol Toxicol 41 (2001) 625–659.
 */
import type { ParameterDeclaration, PdDeclaration } from '../modelDefinition';

type NaturalHistory = 'linear' | 'exponential' | 'asymptotic';

const common: ParameterDeclaration[] = [
  { name: 'S0', value: 30, unit: 'score', description: 'baseline disease status' },
  { name: 'PMAX', value: 2, unit: 'score', description: 'maximal placebo improvement' },
  { name: 'PHALF', value: 168, unit: 'h', description: 'placebo onset half-life' },
  { name: 'EMAXDM', value: 0.5, unit: '1', description: 'maximal fractional slowing of progression' },
  { name: 'EC50DM', value: 1, unit: 'mg/L', description: 'potency of the disease-modifying effect' },
  { name: 'EMAXSYM', value: 3, unit: 'score', description: 'maximal symptomatic improvement' },
  { name: 'EC50SYM', value: 1, unit: 'mg/L', description: 'potency of the symptomatic effect' }
];

function diseaseProgression(kind: NaturalHistory): PdDeclaration {
  const rateParameter: ParameterDeclaration =
    kind === 'linear'
      ? { name: 'SLOPE', value: 0.002, unit: 'score/h', description: 'progression rate' }
      : { name: 'KPROG', value: 0.0002, unit: '1/h', description: 'progression rate constant' };
  const parameters = [...common, rateParameter];
  if (kind === 'asymptotic') {
    parameters.push({ name: 'SSS', value: 60, unit: 'score', description: 'asymptotic disease status' });
  }
  return {
    name: `disease_${kind}`,
    title: `${kind} disease progression with placebo and drug effects`,
    reference: 'Chan & Holford, Annu Rev Pharmacol Toxicol 41 (2001) 625-659',
    parameters,
    states: [{ name: 'S', unit: 'score', description: 'underlying disease status' }],
    outputs: [{ name: 'Y', unit: 'score', description: 'observed disease score' }],
    initial(q, y) {
      y[0] = q[0];
    },
    // only the linear kind: the others multiply the state by the drug's slowing
    affine: kind === 'linear',
    rhs(_t, y, q, dy, conc) {
      const slowing = 1 - (q[3] * conc) / (q[4] + conc);
      const rate = q[7];
      if (kind === 'linear') dy[0] = rate * slowing;
      else if (kind === 'exponential') dy[0] = rate * y[0] * slowing;
      else dy[0] = rate * (q[8] - y[0]) * slowing;
    },
    output(t, y, q, conc, out) {
      const placebo = q[1] * -Math.expm1((-Math.LN2 * t) / q[2]);
      out[0] = y[0] - placebo - (q[5] * conc) / (q[6] + conc);
    }
  };
}

export const diseaseLinear = diseaseProgression('linear');
export const diseaseExponential = diseaseProgression('exponential');
export const diseaseAsymptotic = diseaseProgression('asymptotic');
