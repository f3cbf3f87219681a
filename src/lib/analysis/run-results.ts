import type { Connector } from '../db/connector';
import type { RunRecord } from '../db/run-store';
import type { Table1 } from './table1';
import { runBands, type RunBand } from './run-bands';
import { runFlow, type RunFlow } from './run-flow';
import { observedValues, type ArmValue } from './run-observed-values';
import { runSpaghetti, type SpaghettiPoint } from './run-spaghetti';
import { endpointSummary, type EndpointSummary } from './run-summary';
import { runTable1 } from './run-table1';
import { runEffectHistograms } from './run-effects';
import { runWaterfall, type WaterfallBar } from './run-waterfall';
import type { HistogramBins } from '../plots/histogram';

/** Twins per arm in the spaghetti plots: enough to see the spread, few enough to pick one. */
export const SPAGHETTI_PER_ARM = 50;
/** Twins per arm in a waterfall plot: bars stay wider than a pixel on a page. */
export const WATERFALL_PER_ARM = 200;

/** Everything the results page of a run shows, each part aggregated in DuckDB. */
export interface RunResults {
  summary: EndpointSummary[];
  flow: RunFlow;
  table1: Table1 | null;
  bands: RunBand[];
  spaghetti: SpaghettiPoint[];
  /** Each time-to-event endpoint's observed times (hours) per arm, replicate 0, for Kaplan–Meier. */
  survival: { endpoint: string; values: ArmValue[] }[];
  /** Each continuous change endpoint's sampled, ranked per-twin values in replicate 0. */
  waterfalls: { endpoint: string; percent: boolean; bars: WaterfallBar[] }[];
  /** A counterfactual run's per-twin effects on its primary endpoint against the control. */
  effects: { endpoint: string; control: string; histograms: { arm: string; bins: HistogramBins }[] } | null;
}

interface StoredEndpoint {
  name: string;
  type: string;
  measure?: string;
}

/**
 * The results of a complete run for its page. Only summaries and samples leave DuckDB; the
 * per-twin reads are one value per twin of replicate 0 (survival times and changes, which
 * Kaplan–Meier and the waterfall need twin by twin).
 */
export async function runResults(db: Connector, run: RunRecord, control: string): Promise<RunResults> {
  const endpoints = (run.protocol as { endpoints?: StoredEndpoint[] }).endpoints ?? [];
  const tte = endpoints.filter((e) => e.type === 'tte');
  const change = endpoints.filter(
    (e) => e.type === 'continuous' && (e.measure === 'change' || e.measure === 'percent_change')
  );
  const primary = run.primaryEndpoint ?? run.endpoints[0];
  const primaryType = endpoints.find((e) => e.name === primary)?.type;
  const [summary, flow, table1, bands, spaghetti, survival, waterfalls, effects] = await Promise.all([
    endpointSummary(db, run.runId, run.arms),
    runFlow(db, run.runId),
    runTable1(db, run),
    runBands(db, run),
    runSpaghetti(db, run.runId, SPAGHETTI_PER_ARM),
    Promise.all(
      tte.map(async (e) => ({ endpoint: e.name, values: await observedValues(db, run.runId, 0, e.name) }))
    ),
    Promise.all(
      change.map(async (e) => ({
        endpoint: e.name,
        percent: e.measure === 'percent_change',
        bars: await runWaterfall(db, run.runId, e.name, WATERFALL_PER_ARM)
      }))
    ),
    run.design === 'counterfactual' && primary && primaryType !== 'tte'
      ? runEffectHistograms(db, run.runId, primary, control, run.arms).then((histograms) => ({
          endpoint: primary,
          control,
          histograms
        }))
      : null
  ]);
  return { summary, flow, table1, bands, spaghetti, survival, waterfalls, effects };
}
