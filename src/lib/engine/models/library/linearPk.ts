/**
 * Linear mammillary PK models, 1-, 2- and 3-compartment, IV (bolus / zero-order
 * infusion into the central compartment) and oral (first-order absorption from a depot
 * with bioavailability F and lag time TLAG; IV doses into 'central' remain possible).
 *
 * Parameterised in clearances and volumes (NONMEM ADVAN1–4/11–12 with TRANS2/4/6):
 *   k10 = CL/V1, k12 = Q/V1, k21 = Q/V2, k13 = Q3/V1, k31 = Q3/V3.
 * Equations: M. Gibaldi, D. Perrier, Pharmacokinetics, 2nd ed. (1982), ch. 1–3;
 * closed forms as in Abuhelwa, Foster & Upton (2015) J Pharmacol Toxicol Methods 73:42–48.
 */
import type { LinearPkDeclaration, ParameterDeclaration, StateDeclaration } from '../modelDefinition';
import { RATE_INDEX } from '../modelDefinition';

const { RATE_KA, RATE_K10, RATE_K12, RATE_K21, RATE_K13, RATE_K31, RATE_VC } = RATE_INDEX;

const REFERENCE =
  'Gibaldi & Perrier, Pharmacokinetics 2nd ed. (1982); Abuhelwa, Foster & Upton, J Pharmacol Toxicol Methods 73 (2015) 42-48';

const param = (name: string, value: number, unit: string, description: string): ParameterDeclaration => ({
  name,
  value,
  unit,
  description
});

function declare(compartments: 1 | 2 | 3, oral: boolean): LinearPkDeclaration {
  const parameters: ParameterDeclaration[] = [param('CL', 5, 'L/h', 'clearance')];
  if (compartments === 1) parameters.push(param('V', 50, 'L', 'volume of distribution'));
  else parameters.push(param('V1', 50, 'L', 'central volume'));
  if (compartments >= 2) {
    parameters.push(param('Q', 10, 'L/h', 'inter-compartmental clearance (peripheral 1)'));
    parameters.push(param('V2', 100, 'L', 'peripheral volume 1'));
  }
  if (compartments === 3) {
    parameters.push(param('Q3', 2, 'L/h', 'inter-compartmental clearance (peripheral 2)'));
    parameters.push(param('V3', 200, 'L', 'peripheral volume 2'));
  }
  if (oral) {
    parameters.push(param('KA', 1, '1/h', 'first-order absorption rate constant'));
    parameters.push(param('F', 1, '1', 'oral bioavailability'));
    parameters.push(param('TLAG', 0, 'h', 'absorption lag time'));
  }
  const states: StateDeclaration[] = [];
  if (oral) states.push({ name: 'depot', unit: 'mg', description: 'amount at the absorption site' });
  states.push({ name: 'central', unit: 'mg', description: 'amount in the central compartment' });
  if (compartments >= 2)
    states.push({ name: 'peripheral1', unit: 'mg', description: 'amount in peripheral 1' });
  if (compartments === 3)
    states.push({ name: 'peripheral2', unit: 'mg', description: 'amount in peripheral 2' });
  const doseTargets = oral
    ? [
        { name: 'depot', state: 0, bioavailability: 'F', lag: 'TLAG' },
        { name: 'central', state: 1 }
      ]
    : [{ name: 'central', state: 0 }];
  const iKa = oral ? parameters.findIndex((p) => p.name === 'KA') : -1;
  return {
    name: `pk${compartments}cmt_${oral ? 'oral' : 'iv'}`,
    reference: REFERENCE,
    structure: { compartments, depot: oral },
    parameters,
    states,
    doseTargets,
    rates(p, out) {
      const v1 = p[1];
      out[RATE_K10] = p[0] / v1;
      out[RATE_VC] = v1;
      out[RATE_KA] = iKa >= 0 ? p[iKa] : 0;
      if (compartments >= 2) {
        out[RATE_K12] = p[2] / v1;
        out[RATE_K21] = p[2] / p[3];
      } else {
        out[RATE_K12] = out[RATE_K21] = 0;
      }
      if (compartments === 3) {
        out[RATE_K13] = p[4] / v1;
        out[RATE_K31] = p[4] / p[5];
      } else {
        out[RATE_K13] = out[RATE_K31] = 0;
      }
    }
  };
}

export const pk1cmtIv = declare(1, false);
export const pk1cmtOral = declare(1, true);
export const pk2cmtIv = declare(2, false);
export const pk2cmtOral = declare(2, true);
export const pk3cmtIv = declare(3, false);
export const pk3cmtOral = declare(3, true);

export const linearPkLibrary: readonly LinearPkDeclaration[] = [
  pk1cmtIv,
  pk1cmtOral,
  pk2cmtIv,
  pk2cmtOral,
  pk3cmtIv,
  pk3cmtOral
];
