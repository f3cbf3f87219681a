/**
 * Builds a PK/PD model from a linear PK declaration and an optional PD block, and derives
 * the equivalent full ODE model (PK amounts integrated as ODE states) from it.
 */
import type { LinearPkDeclaration, OdeModel, PdDeclaration, PkPdModel } from './modelDefinition';
import { RATE_INDEX } from './modelDefinition';
import type { SolverTolerances } from '../ode/odeSystem';

const { RATE_COUNT, RATE_KA, RATE_K10, RATE_K12, RATE_K21, RATE_K13, RATE_K31, RATE_VC } = RATE_INDEX;

const CONCENTRATION_OUTPUT = { name: 'C', unit: 'mg/L', description: 'central concentration' };

export function composePkPd(pk: LinearPkDeclaration, pd: PdDeclaration | null = null): PkPdModel {
  const pkTol = { rtol: 1e-6, atol: 1e-9 };
  const tolerance: SolverTolerances = pd?.tolerance
    ? { rtol: Math.min(pkTol.rtol, pd.tolerance.rtol), atol: Math.min(pkTol.atol, pd.tolerance.atol) }
    : pkTol;
  const pkNames = new Set(pk.parameters.map((p) => p.name));
  for (const p of pd?.parameters ?? []) {
    if (pkNames.has(p.name)) throw new Error(`PD block ${pd!.name} reuses PK parameter name '${p.name}'`);
  }
  return {
    kind: 'pkpd',
    name: pd ? `${pk.name}+${pd.name}` : pk.name,
    title: pd ? `${pk.name} with ${pd.title}` : pk.name,
    reference: pd ? `${pk.reference}; ${pd.reference}` : pk.reference,
    parameters: [...pk.parameters, ...(pd?.parameters ?? [])],
    outputs: [CONCENTRATION_OUTPUT, ...(pd?.outputs ?? [])],
    doseTargets: pk.doseTargets,
    tolerance,
    pk,
    pd
  };
}

/**
 * The same model as one ODE system: PK amounts dA/dt = A·x (linear, from the micro
 * constants), concentration = central amount / Vc, PD states appended after the PK ones.
 */
export function toOdeModel(model: PkPdModel): OdeModel {
  const { pk, pd } = model;
  const nPk = pk.states.length;
  const nPdParams = pd ? pd.parameters.length : 0;
  const nPkParams = pk.parameters.length;
  const nPdStates = pd ? pd.states.length : 0;
  const { compartments, depot } = pk.structure;
  const c = depot ? 1 : 0;
  const rates = new Float64Array(RATE_COUNT);
  const q = new Float64Array(nPdParams);
  const yPd = new Float64Array(nPdStates);
  const dyPd = new Float64Array(nPdStates);
  const pdOut = new Float64Array(pd ? pd.outputs.length : 0);
  const loadPd = (p: Float64Array, y: Float64Array) => {
    for (let i = 0; i < nPdParams; i++) q[i] = p[nPkParams + i];
    for (let i = 0; i < nPdStates; i++) yPd[i] = y[nPk + i];
  };
  return {
    kind: 'ode',
    name: `${model.name}:ode`,
    title: `${model.title} (full ODE)`,
    reference: model.reference,
    parameters: model.parameters,
    outputs: model.outputs,
    doseTargets: model.doseTargets,
    ...(model.doseFactors ? { doseFactors: model.doseFactors, doseInfusions: model.doseInfusions } : {}),
    tolerance: model.tolerance,
    states: [...pk.states, ...(pd?.states ?? [])],
    stiff: false,
    initial(p, y) {
      y.fill(0);
      if (pd) {
        for (let i = 0; i < nPdParams; i++) q[i] = p[nPkParams + i];
        pd.initial(q, yPd);
        for (let i = 0; i < nPdStates; i++) y[nPk + i] = yPd[i];
      }
    },
    rhs(t, y, p, dy) {
      pk.rates(p, rates);
      const k10 = rates[RATE_K10];
      const k12 = rates[RATE_K12];
      const k21 = rates[RATE_K21];
      const k13 = rates[RATE_K13];
      const k31 = rates[RATE_K31];
      let dc = -k10 * y[c];
      if (depot) {
        const absorbed = rates[RATE_KA] * y[0];
        dy[0] = -absorbed;
        dc += absorbed;
      }
      if (compartments >= 2) {
        const flow = k12 * y[c] - k21 * y[c + 1];
        dy[c + 1] = flow;
        dc -= flow;
      }
      if (compartments === 3) {
        const flow = k13 * y[c] - k31 * y[c + 2];
        dy[c + 2] = flow;
        dc -= flow;
      }
      dy[c] = dc;
      if (pd) {
        loadPd(p, y);
        pd.rhs(t, yPd, q, dyPd, y[c] / rates[RATE_VC]);
        for (let i = 0; i < nPdStates; i++) dy[nPk + i] = dyPd[i];
      }
    },
    output(t, y, p, out) {
      pk.rates(p, rates);
      const conc = y[c] / rates[RATE_VC];
      out[0] = conc;
      if (pd) {
        loadPd(p, y);
        pd.output(t, yPd, q, conc, pdOut);
        for (let i = 0; i < pdOut.length; i++) out[1 + i] = pdOut[i];
      }
    }
  };
}
