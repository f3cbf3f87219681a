import { analyze, CompareInputError, type EndpointType } from '../analysis/compare';
import { runFlow } from '../analysis/run-flow';
import { observedValues } from '../analysis/run-observed-values';
import { runDuration } from '../analysis/run-schedule';
import { runProvenance } from '../analysis/run-provenance';
import { runTable1 } from '../analysis/run-table1';
import { listRuns, type RunRecord } from '../db/run-store';
import type { Connector } from '../db/connector';
import type { ResolvedProtocol } from '../engine/trial';
import { forestPlot } from '../plots/forest';
import { kaplanMeierPlot } from '../plots/kaplan-meier';
import { kaplanMeierCurves, survivalTimeUnit } from '../plots/kaplan-meier-curves';
import { trialFlowDiagram } from '../plots/trial-flow-diagram';
import { StatsInputError } from '../stats';
import { selfContainedProtocolYaml } from '../ui/share-link';
import { APP_VERSION } from '../version';
import { reportChartSvg } from './report-chart';
import type { ReportEndpoint, RunReport } from './run-report';

/** A report that cannot be made from what was asked (no such run, an unknown arm): the message says why. */
export class RunReportError extends Error {
  override name = 'RunReportError';
}

export interface RunReportOptions {
  /** where charts are rendered: the page's document, or linkedom's in Node */
  document: Document;
  /** the arm every other is compared with (default: the protocol's placebo arm, else the first) */
  control?: string;
  /** the replicate compared (default 0) */
  replicate?: number;
  /** the database's name, as the comparison records its source */
  path?: string;
}

/** The analysis type of each protocol endpoint type, as the Compare page analyses it. */
const ANALYSIS_TYPE: Record<string, EndpointType> = {
  continuous: 'continuous',
  pk: 'continuous',
  responder: 'binary',
  tte: 'tte'
};

/**
 * Everything a run's report shows, read from the database by the library's read-side
 * functions: the same comparisons the Compare page shows (analyze, every endpoint against one
 * control), Table 1 by arm, the trial flow and each endpoint's forest plot.
 */
export async function runReportData(
  db: Connector,
  runId: number,
  options: RunReportOptions
): Promise<RunReport> {
  const run = (await listRuns(db)).find((r) => r.runId === runId);
  if (!run) throw new RunReportError(`there is no run ${runId} in this database`);
  if (run.status !== 'complete')
    throw new RunReportError(`run ${runId} is ${run.status}: only a complete run has results to report`);
  const control = options.control ?? defaultControl(run);
  if (!run.arms.includes(control))
    throw new RunReportError(
      `control '${control}' is not an arm of run ${runId}: one of ${run.arms.join(', ')}`
    );
  const replicate = options.replicate ?? 0;
  if (!Number.isInteger(replicate) || replicate < 0 || replicate >= run.replicates)
    throw new RunReportError(
      `replicate ${replicate} is not in run ${runId}: it has replicates 0 to ${run.replicates - 1}`
    );

  const kinds = new Map(
    ((run.protocol as { endpoints?: { name: string; type: string }[] }).endpoints ?? []).map((e) => [
      e.name,
      e.type
    ])
  );
  const endpoints: ReportEndpoint[] = [];
  for (const name of run.endpoints) {
    const kind = kinds.get(name) ?? 'continuous';
    const type = ANALYSIS_TYPE[kind] ?? 'continuous';
    const endpoint: ReportEndpoint = {
      name,
      kind,
      primary: name === run.primaryEndpoint,
      comparison: null,
      error: null,
      charts: []
    };
    try {
      const c = await analyze(
        { db, path: options.path ?? 'workspace', runId: String(runId), replicate },
        { name, type },
        { control }
      );
      // arms as the protocol lists them, control first: table rows and forest plot rows
      const rank = (arm: string) => (arm === control ? -1 : run.arms.indexOf(arm));
      endpoint.comparison = {
        ...c,
        arms: c.arms.toSorted((a, b) => rank(a.arm) - rank(b.arm)),
        comparisons: c.comparisons.toSorted((a, b) => rank(a.arm) - rank(b.arm))
      };
    } catch (e) {
      if (!(e instanceof CompareInputError || e instanceof StatsInputError)) throw e;
      endpoint.error = e.message;
    }
    if (endpoint.comparison?.comparisons.some((r) => r.control !== null && r.estimate !== null)) {
      endpoint.charts.push({
        title: `Forest plot of ${name}`,
        description: `each arm's effect against ${control} with its ${Math.round(endpoint.comparison.confLevel * 100)}% confidence interval`,
        svg: reportChartSvg(forestPlot(endpoint.comparison, { width: 560 }), options.document)
      });
    }
    if (endpoint.comparison && kind === 'tte') {
      // time in the protocol's unit (weeks or months, not hours), control first
      const time = survivalTimeUnit(runDuration(run));
      const order = [control, ...run.arms.filter((a) => a !== control)];
      const values = await observedValues(db, runId, replicate, name);
      endpoint.charts.push({
        title: `Kaplan–Meier curves of ${name}`,
        description: `the proportion of twins without the event over time in each arm`,
        svg: reportChartSvg(
          kaplanMeierPlot(kaplanMeierCurves(values, order, time.hours), {
            time: 'Time since randomisation',
            unit: time.unit
          }),
          options.document
        )
      });
    }
    endpoints.push(endpoint);
  }
  const flow = await runFlow(db, runId);
  // the primary endpoint first, then the others in protocol order
  endpoints.sort((a, b) => Number(b.primary) - Number(a.primary));

  return {
    run: {
      runId: run.runId,
      name: run.name,
      design: run.design,
      seed: run.seed,
      nTwins: run.nTwins,
      replicates: run.replicates,
      arms: run.arms
    },
    provenance: await runProvenance(db, runId),
    reportVersion: APP_VERSION,
    protocolYaml: selfContainedProtocolYaml(run.protocol as ResolvedProtocol),
    replicate,
    table1: await runTable1(db, run),
    flow,
    flowChart: flow.arms.length
      ? {
          title: 'Trial flow',
          description:
            'CONSORT-style diagram of the twins screened, randomised to each arm, and followed to analysis',
          svg: reportChartSvg(
            trialFlowDiagram(flow, { width: Math.max(640, 170 * flow.arms.length) }),
            options.document
          )
        }
      : null,
    endpoints
  };
}

/** The control offered first, as on the Compare page: the protocol's placebo arm, else the first arm. */
function defaultControl(run: RunRecord): string {
  const arms = (run.protocol as { arms?: { name: string; placebo?: boolean }[] }).arms ?? [];
  return arms.find((a) => a.placebo)?.name ?? run.arms[0] ?? '';
}
