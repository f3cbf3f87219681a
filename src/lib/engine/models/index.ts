/**
 * Drug-effect model engine: declarations, individual parameters, simulation, residual
 * error, events. Pure TypeScript; no I/O, no clock, randomness only from keyed streams.
 *
 * Typical use by the protocol / runner layer, per chunk of twins:
 *
 *   const { spec, model } = parseModelSpec(protocol.model, 'model');    // zod, field-path errors
 *   const ipm = new IndividualParameterModel(model, spec, ['WT', 'SEX']); // IIV + covariates
 *   const params = ipm.fill(seed, twinIds, covariates, new Float64Array(n * ipm.nParameters));
 *   // (or fill `params` from twins' own individual values: same nTwins × nParams layout)
 *   const sim = createTwinSimulator(model, spec.solver);                 // reuse across chunks
 *   const pred = simulateChunk(model, params, times, doses, { ...spec.solver, firstTwinId }, sim);
 *   // pred[(row·nOutputs + o)·nTimes + k]; observations at a dose time are pre-dose
 *   // (a caller running many chunks may pass a reusable result buffer as 7th argument)
 *   new ResidualErrorModel(model, spec.residualError).apply(seed, twinIds, times.length, pred, blq);
 *   const events = new EventTimeSimulator(model, hazard).simulateChunk(params, doses, seed, twinIds, lp);
 *
 * Models: resolveModel('pk{1,2,3}cmt_{iv,oral}[+pd]') with PD blocks linear, emax,
 * sigmoid_emax, effect_compartment, idr1..idr4, transit3, tgi_claret, disease_linear,
 * disease_exponential, disease_asymptotic; generic ODE models such as 'tmdd_full'.
 * A new ODE model is one file exporting an `OdeModel` (rhs(t, y, p, dy) writing into dy),
 * registered with registerOdeModel; no solver changes.
 *
 * Paths: PK with stateless PD runs in closed form (modal state propagation, O(1) per
 * output time); PK with PD states runs hybrid (closed-form PK inside the PD rhs, only PD
 * states integrated by Dormand–Prince 5(4); a one-state PD block runs a scalar
 * specialisation with the PK evaluated for all stages of a step at once); generic models,
 * and mode 'ode', integrate the full system (Rosenbrock 4(3) for models declared stiff;
 * for the others Dormand–Prince with Hairer's stiffness test, switching a twin to
 * Rosenbrock when it fires). Integration restarts at every dose; bolus = state jump,
 * infusion = piecewise-constant input rate.
 */
export * from './modelDefinition';
export { composePkPd, toOdeModel } from './composePkPd';
export { resolveModel, registerOdeModel, registerPdBlock, modelNames } from './registry';
export { resolveRegimen, repeatedDoses, DoseTargetFactors } from './dosing';
export type { Dose, ResolvedRegimen } from './dosing';
export { simulateChunk, createTwinSimulator } from './simulateChunk';
export type { SimulationOptions, TwinSimulator } from './twinSimulator';
export { ClosedFormSimulator } from './closedFormSimulator';
export { HybridSimulator } from './hybridSimulator';
export { OdeSimulator, ModelOdeSystem } from './odeSimulator';
export {
  parseModelSpec,
  resolveSpecModel,
  ModelSpecError,
  modelSpecSchema,
  iivSchema,
  covariateEffectSchema,
  residualErrorSchema,
  solverSpecSchema
} from './spec';
export type { ModelSpec, IivSpec, CovariateEffect, ResidualErrorSpec } from './spec';
export { IndividualParameterModel } from './individualParameters';
export { ResidualErrorModel } from './residualError';
export { EventTimeSimulator } from './timeToEvent';
export type { HazardSpec, BaselineHazard, EventTimes } from './timeToEvent';
export { thresholdOutcome, poissonCounts, poissonDraw } from './discreteOutcomes';
