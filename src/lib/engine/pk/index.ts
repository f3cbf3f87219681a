export { LinearCompartmentModes, dispositionRates } from './linearCompartmentModes';
export type { PkStructure, MicroConstants } from './linearCompartmentModes';
export { ModalPkState } from './modalPkState';
export { DoseTimeline, BOLUS, RATE_CHANGE, type DoseEventTarget } from './doseTimeline';
export type { ResolvedDose } from './doseTimeline';
