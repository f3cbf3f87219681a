import type { ResolvedProtocol } from '../engine/trial';

/**
 * The null scenario of a power study (`twinbench power --null`): every arm keeps its name but
 * gets the control arm's treatment (regimen, companion, titration, placebo flag), so any effect
 * an analysis finds is a false positive and the rejection rate is the type I error. The twins,
 * allocation and intercurrent-event rules are the protocol's own.
 */
export function nullScenario(protocol: ResolvedProtocol, control: number): ResolvedProtocol {
  const c = protocol.arms[control];
  return {
    ...protocol,
    arms: protocol.arms.map((a) => ({ ...c, name: a.name, description: a.description }))
  };
}
