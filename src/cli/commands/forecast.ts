import { Option, type Command } from 'commander';
import { NodeConnector } from '../../lib/db/node-connector';
import { calibrationModel } from '../../lib/engine/calibration/calibration-model';
import { compareRegimens } from '../../lib/engine/calibration/compare-regimens';
import {
  defaultTarget,
  METRICS,
  patientWeight,
  readCandidates,
  readTarget,
  type RegimenRow
} from '../../lib/engine/calibration/forecast-fields';
import { PatientObjective } from '../../lib/engine/calibration/patient-objective';
import { patientPosterior } from '../../lib/engine/calibration/patient-posterior';
import type { ExposureMetric } from '../../lib/engine/calibration/forecast';
import { parseModelSpec } from '../../lib/engine/models/spec';
import { readPatientData } from '../../lib/io/patient-data';
import { checkDataFile } from '../data-file';
import { action, nonNegativeInt, UsageError } from '../errors';
import { readModelSpec } from '../model-spec-file';

interface ForecastCliOptions {
  model: string;
  id?: string;
  regimen: string[];
  start: string;
  metric: ExposureMetric;
  output?: string;
  from: string;
  to: string;
  low?: string;
  high?: string;
  threshold: string;
  posterior: 'laplace' | 'sir';
  draws: number;
  seed: number;
  format: 'table' | 'json';
}

/** `15 mg/kg q6h 1h`, `250 mg every 8h`, `500mg q12h over 2h`: dose, unit, interval, infusion. */
const REGIMEN = /^\s*([0-9.]+)\s*(mg\/kg|mg)\s+(?:q|every\s+)(\S+?)(?:\s+(?:over\s+)?(\S+))?\s*$/i;

export function parseRegimenOption(text: string): RegimenRow {
  const m = REGIMEN.exec(text);
  if (!m) {
    throw new UsageError(
      `--regimen '${text}': write a dose, its unit (mg or mg/kg), the interval and optionally the infusion, e.g. '15 mg/kg q6h 1h' or '250 mg every 8h'`
    );
  }
  const hours = (t: string) => (/^[0-9.]+$/.test(t) ? t : t.replace(/h$/i, ''));
  return {
    dose: m[1],
    unit: m[2].toLowerCase() === 'mg' ? 'mg' : 'mg/kg',
    every: hours(m[3]),
    infusion: m[4] ? hours(m[4]) : ''
  };
}

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description(
      'fit one patient, then forecast candidate regimens against an exposure target and recommend one (model-informed precision dosing)'
    )
    .argument('<data>', "the patient's NONMEM-style records (.csv or .parquet; see docs/calibration.md)")
    .requiredOption('--model <file>', 'a model file (.model) or a protocol (.yaml: its model section)')
    .option('--id <id>', 'the patient to forecast, when the data hold several')
    .option(
      '--regimen <regimen>',
      "a candidate regimen, e.g. '15 mg/kg q6h 1h' (1-h infusions) or '500 mg every 12h'; repeat to compare",
      (value: string, list: string[]) => [...list, value],
      []
    )
    .option(
      '--start <time>',
      "when the regimens start: 'ss' (alone, at steady state) or a time on the data's clock, e.g. 24h",
      'ss'
    )
    .addOption(
      new Option('--metric <metric>', 'the exposure metric')
        .choices(METRICS.map((m) => m.value))
        .default('auc')
    )
    .option('--output <name>', "the model output the target is on (default: the model's first)")
    .option('--from <time>', 'the window, from this time after the regimen starts', '0')
    .option('--to <time>', 'the window, to this time after the regimen starts', '24h')
    .option('--low <value>', 'lower bound of the target range')
    .option('--high <value>', 'upper bound of the target range')
    .option('--threshold <percent>', 'the probability of reaching the target a regimen needs', '80')
    .addOption(
      new Option('--posterior <method>', 'posterior draws: the Laplace approximation or SIR')
        .choices(['laplace', 'sir'])
        .default('laplace')
    )
    .option('--draws <n>', 'posterior draws per regimen', nonNegativeInt('--draws'), 1000)
    .option('--seed <seed>', 'seed of the posterior draws', nonNegativeInt('--seed'), 1)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(action(forecast));
}

async function forecast(data: string, options: ForecastCliOptions): Promise<void> {
  if (options.regimen.length === 0)
    throw new UsageError("give at least one --regimen, e.g. --regimen '15 mg/kg q6h 1h'");
  if (!(options.draws >= 100 && options.draws <= 100_000))
    throw new UsageError(`--draws: must be between 100 and 100000, got ${options.draws}`);
  const { model, spec } = parseModelSpec(await readModelSpec(options.model));
  const calibration = calibrationModel(model, spec);
  checkDataFile(data);
  const db = await NodeConnector.open();
  let records;
  try {
    records = await readPatientData(db, data, model, { covariates: calibration.covariateNames });
  } finally {
    await db.close();
  }
  const index =
    options.id === undefined
      ? records.length === 1
        ? 0
        : -1
      : records.findIndex((r) => r.id === options.id);
  if (index < 0) {
    const ids = records.map((r) => r.id);
    const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? `, … (${ids.length} in all)` : '');
    throw new UsageError(
      options.id === undefined
        ? `the data hold ${ids.length} patients: choose one with --id (${shown})`
        : `--id ${options.id}: no such patient in the data (have ${shown})`
    );
  }
  const record = records[index];
  const outputs = model.outputs.map((o) => o.name);
  const fields = {
    ...defaultTarget(options.output ?? outputs[calibration.observable[0]]),
    metric: options.metric,
    from: options.from,
    to: options.to,
    low: options.low ?? '',
    high: options.high ?? '',
    threshold: options.threshold
  };
  const target = readTarget(fields, outputs);
  if (target.problem) throw new UsageError(`--${target.problem.field}: ${target.problem.message}`);
  const steadyState = options.start.trim().toLowerCase() === 'ss';
  const rows = options.regimen.map(parseRegimenOption);
  const candidates = readCandidates(
    rows,
    { steadyState, start: steadyState ? '0' : options.start },
    patientWeight(record)
  );
  const problems = [candidates.listProblem, ...candidates.problems].filter(Boolean);
  if (problems.length)
    throw new UsageError(problems.map((p) => p!.replace(/^regimen (\d+)/, '--regimen $1')).join('\n'));

  const objective = new PatientObjective(calibration, record);
  const posterior = patientPosterior(objective, {
    method: options.posterior,
    seed: options.seed,
    key: index + 1,
    draws: options.draws
  });
  const comparison = compareRegimens(
    objective,
    posterior.draws,
    candidates.regimens,
    target.target,
    target.threshold
  );
  const fit = posterior.fit;
  if (options.format === 'json') {
    process.stdout.write(
      JSON.stringify(
        {
          id: record.id,
          fit: {
            ofv: fit.ofv,
            converged: fit.converged,
            eta: Object.fromEntries(calibration.parameters.etaNames.map((n, k) => [n, fit.eta[k]])),
            parameters: Object.fromEntries(model.parameters.map((p, k) => [p.name, fit.parameters[k]]))
          },
          target: { ...target.target, threshold: target.threshold },
          posterior: { method: posterior.draws.method, draws: posterior.draws.draws },
          regimens: comparison.forecasts.map((f) => ({
            regimen: f.label,
            dailyDose: f.dailyDose,
            probability: f.probability,
            median: f.p50,
            p5: f.p5,
            p95: f.p95
          })),
          recommended: comparison.forecasts[comparison.recommendation.index]?.label ?? null,
          reachesThreshold: comparison.recommendation.reachesThreshold,
          reason: comparison.recommendation.reason
        },
        null,
        2
      ) + '\n'
    );
    return;
  }
  const shifts = calibration.parameters.etaNames
    .map((name) => {
      const k = model.parameters.findIndex((p) => p.name === name);
      return `${name} ${fit.parameters[k].toPrecision(4)} (typical ${fit.typical[k].toPrecision(4)})`;
    })
    .join(', ');
  const lines = [
    `patient ${record.id}: ${shifts}; OFV ${fit.ofv.toFixed(3)}${fit.converged ? '' : ` (did not converge: ${fit.message})`}`,
    ['regimen', 'P(target)', 'median', '90% PI', 'mg/day'].join('\t'),
    ...comparison.forecasts.map((f) =>
      [
        f.label,
        `${(100 * f.probability).toFixed(1)}%`,
        f.p50.toPrecision(4),
        `${f.p5.toPrecision(4)}–${f.p95.toPrecision(4)}`,
        String(Math.round(f.dailyDose * 100) / 100)
      ].join('\t')
    ),
    `recommended: ${comparison.recommendation.reason}`
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
