import type { EndpointType } from '$lib/analysis/compare';
import type { RunRecord } from '$lib/db/run-store';
import { resolveSpecModel, type ModelSpec } from '$lib/engine/models';
import { timeUnitFor } from '$lib/plots/profile';

/**
 * What the Compare page needs to know about a stored run beyond the comparison itself:
 * each endpoint's analysis type and unit (from the run's resolved protocol), and each
 * arm's observed endpoint values for the distribution and Kaplan–Meier plots.
 * (The values themselves are read by analysis/run-observed-values.)
 */
export interface EndpointInfo {
  name: string;
  /** the protocol's endpoint type */
  kind: 'continuous' | 'responder' | 'tte' | 'pk';
  /** the analysis type: responder → binary, pk → continuous */
  type: EndpointType;
  primary: boolean;
  /** the unit of the endpoint's value where known (tte: hours) */
  unit?: string;
}

interface StoredEndpoint {
  name: string;
  type: EndpointInfo['kind'];
  variable?: string;
  measure?: 'value' | 'change' | 'percent_change';
  metric?: 'auc' | 'cmax' | 'ctrough';
  primary?: boolean;
}

interface StoredProtocol {
  model?: { model?: ModelSpec['model'] };
  individual?: Record<string, string>;
  cohort?: { spec?: { covariates?: { name: string; unit?: string }[] } };
  schedule?: { duration?: number };
  endpoints?: StoredEndpoint[];
}

const ANALYSIS_TYPE: Record<EndpointInfo['kind'], EndpointType> = {
  continuous: 'continuous',
  pk: 'continuous',
  responder: 'binary',
  tte: 'tte'
};

/**
 * The unit of a model output. Generic PD blocks declare '1'; when the output's baseline
 * parameter (`<output>0`) is taken from a covariate, the output has the covariate's unit
 * (E0: sbp makes E a systolic pressure in mmHg).
 */
function outputUnit(p: StoredProtocol, output: string): string | undefined {
  let unit: string | undefined;
  try {
    unit = resolveSpecModel(p.model?.model ?? '').outputs.find((o) => o.name === output)?.unit;
  } catch {
    unit = undefined;
  }
  if (unit && unit !== '1') return unit;
  const covariate = p.individual?.[`${output}0`];
  return p.cohort?.spec?.covariates?.find((c) => c.name === covariate)?.unit;
}

function endpointUnit(p: StoredProtocol, e: StoredEndpoint): string | undefined {
  if (e.type === 'tte') return 'h';
  if (e.type === 'responder') return undefined;
  const unit = outputUnit(p, e.variable ?? 'C');
  if (e.type === 'pk') return e.metric === 'auc' && unit ? `${unit}·h` : unit;
  return e.measure === 'percent_change' ? '%' : unit;
}

/** The unit of a model output in a stored run (see outputUnit). */
export function runOutputUnit(run: RunRecord, output: string): string | undefined {
  return outputUnit(run.protocol as StoredProtocol, output);
}

/** The run's endpoints in protocol order, primary flagged. */
export function endpointInfo(run: RunRecord): EndpointInfo[] {
  const p = run.protocol as StoredProtocol;
  const stored = new Map((p.endpoints ?? []).map((e) => [e.name, e]));
  return run.endpoints.map((name) => {
    const e = stored.get(name) ?? { name, type: 'continuous' as const };
    return {
      name,
      kind: e.type,
      type: ANALYSIS_TYPE[e.type] ?? 'continuous',
      primary: name === run.primaryEndpoint,
      unit: endpointUnit(p, e)
    };
  });
}

/** The axis time unit for a run's time-to-event plots (days up to 8 weeks, then weeks). */
export function runTimeUnit(run: RunRecord): { unit: 'h' | 'd' | 'w'; hours: number } {
  const duration = (run.protocol as StoredProtocol).schedule?.duration;
  return timeUnitFor(typeof duration === 'number' ? duration : 0);
}

/** The control arm offered first: the protocol's placebo arm, else the first arm. */
export function defaultControl(run: RunRecord): string {
  const arms = (run.protocol as { arms?: { name: string; placebo?: boolean }[] }).arms ?? [];
  return arms.find((a) => a.placebo)?.name ?? run.arms[0] ?? '';
}
