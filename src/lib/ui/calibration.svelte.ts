import exampleCsv from '../../../cohorts/vancomycin-child/records.csv?raw';
import { listModels, type SavedModel } from '../db/model-store';
import { calibrationModel, type CalibrationModel } from '../engine/calibration/calibration-model';
import type { RegimenComparison } from '../engine/calibration/compare-regimens';
import type { PatientPosterior, PosteriorMethod } from '../engine/calibration/patient-posterior';
import { PatientDataError, type PatientRecord } from '../engine/calibration/patient-record';
import { compileModelText } from '../engine/model-language';
import { parseModelSpec, type ModelSpec } from '../engine/models/spec';
import type { PoolWorker } from '../runner/pool';
import { patientRecordsFromCsv } from '../io/patient-csv';
import {
  defaultRegimens,
  defaultTarget,
  patientWeight,
  readCandidates,
  readTarget,
  type RegimenRow,
  type StartFields,
  type TargetFields
} from '../engine/calibration/forecast-fields';
import { loadShippedProtocol, shippedProtocols } from './shipped-protocols';
import { workbench } from './workbench.svelte';

/** The paediatric vancomycin protocol: 1-compartment IV, CL and V with IIV and weight. */
const DEFAULT_PROTOCOL = 'pediatric-weight-based.yaml';
/** Posterior draws behind every band, interval and probability the page shows. */
export const POSTERIOR_DRAWS = 1000;
/** The draws' seed: the same data give the same bands and probabilities on every visit. */
const SEED = 1;
/** A pause in typing before the regimens are forecast again. */
const COMPARE_PAUSE_MS = 200;

export interface ModelSource {
  kind: 'protocol' | 'saved';
  name: string;
}

/** A fit with what it was made from (so a change of model, data or method shows it is stale). */
export interface CalibrationFit extends PatientPosterior {
  calibration: CalibrationModel;
  record: PatientRecord;
}

/** The regimens forecast for a fit, or why they could not be. */
export interface ComparisonResult {
  fitted: CalibrationFit;
  comparison?: RegimenComparison;
  problem?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A saved model text that declares variability (the only kind a patient can move). */
function hasVariability(text: string): boolean {
  try {
    return compileModelText(text).defaults.iiv !== undefined;
  } catch {
    return false;
  }
}

/**
 * The Calibrate page's workflow: a population model (a shipped protocol's model section
 * or a saved model text with variability), one patient's NONMEM-style records typed or
 * loaded as CSV, their MAP fit with its posterior draws, an exposure target and candidate
 * regimens forecast for the fitted patient, and the regimen recommended. The records are
 * read in the page; the fit and the forecasts (a few hundred milliseconds: every
 * posterior draw is simulated) run in one Web Worker through the worker API, the
 * calibration library's functions: nothing leaves the tab. One instance, so the work
 * survives a visit to another page.
 */
export class CalibrationState {
  source = $state<ModelSource>({ kind: 'protocol', name: DEFAULT_PROTOCOL });
  saved = $state.raw<SavedModel[]>([]);
  /** The patient's records as CSV text. */
  data = $state(exampleCsv);
  /** The ID fitted when the table holds several. */
  patientId = $state<string | null>(null);
  method = $state<PosteriorMethod>('sir');
  targetFields = $state<TargetFields>(defaultTarget('C'));
  regimens = $state<RegimenRow[]>(defaultRegimens());
  start = $state<StartFields>({ steadyState: true, start: '24' });
  /** The last fit (kept while its inputs are unchanged: see `current`). */
  result = $state.raw<CalibrationFit | null>(null);
  fitProblem = $state<string | null>(null);
  fitting = $state(false);
  /** The last forecast of the regimens (shown while it belongs to the fit shown). */
  compared = $state.raw<ComparisonResult | null>(null);
  comparing = $state(false);

  #worker: PoolWorker | null = null;
  /** The model spec the worker has prepared. */
  #prepared: ModelSpec | null = null;
  #fitToken = 0;
  #compareToken = 0;
  #compareTimer: ReturnType<typeof setTimeout> | undefined;

  /** Saved model texts with variability. */
  readonly savedWithVariability = $derived(this.saved.filter((m) => hasVariability(m.text)));

  /** The population model chosen, ready to fit, or why it cannot be. */
  readonly model = $derived.by((): { calibration?: CalibrationModel; spec?: ModelSpec; problem?: string } => {
    const { kind, name } = this.source;
    try {
      let modelSpec: unknown;
      if (kind === 'protocol') {
        const shipped = shippedProtocols.find((p) => p.file === name);
        if (!shipped) return { problem: `no shipped protocol named ${name}` };
        modelSpec = loadShippedProtocol(shipped.text, shipped.file).model;
      } else {
        const saved = this.saved.find((m) => m.name === name);
        if (!saved) return { problem: `no saved model named ${name}` };
        modelSpec = { model: { file: `${name}.model`, text: saved.text } };
      }
      const { spec, model } = parseModelSpec(modelSpec);
      return { calibration: calibrationModel(model, spec), spec };
    } catch (e) {
      return { problem: message(e) };
    }
  });

  /** Every patient in the table, or the table's problems (each naming its line and column). */
  readonly records = $derived.by((): { records?: PatientRecord[]; problems?: string[] } => {
    const calibration = this.model.calibration;
    if (!calibration) return {};
    try {
      return {
        records: patientRecordsFromCsv(this.data, calibration.model, {
          covariates: calibration.covariateNames
        })
      };
    } catch (e) {
      if (e instanceof PatientDataError)
        return { problems: [...e.problems, ...(e.omitted ? [`… and ${e.omitted} more`] : [])] };
      return { problems: [message(e)] };
    }
  });

  /** The patient fitted: the ID chosen, else the table's first. */
  readonly record = $derived.by(() => {
    const records = this.records.records ?? [];
    return records.find((r) => r.id === this.patientId) ?? records[0];
  });

  /** The fit of the model and records shown, or null when either changed since. */
  readonly current = $derived(
    this.result &&
      this.result.calibration === this.model.calibration &&
      this.result.record === this.record &&
      this.result.draws.method === this.method
      ? this.result
      : null
  );

  readonly weight = $derived(this.record ? patientWeight(this.record) : undefined);

  /** Outputs a target may name: those the model observes (with a residual error). */
  readonly outputs = $derived(
    this.model.calibration
      ? this.model.calibration.observable.map((o) => this.model.calibration!.model.outputs[o].name)
      : []
  );

  readonly target = $derived(
    readTarget(
      {
        ...this.targetFields,
        output: this.outputs.includes(this.targetFields.output)
          ? this.targetFields.output
          : (this.outputs[0] ?? '')
      },
      this.outputs
    )
  );

  readonly candidates = $derived(readCandidates(this.regimens, this.start, this.weight));

  /** The forecast of the regimens for the fit shown, if it is done. */
  readonly comparison = $derived(
    this.compared && this.compared.fitted === this.current ? this.compared : null
  );

  /** The worker, with the model spec prepared in it. */
  private async worker(spec: ModelSpec): Promise<PoolWorker['api']> {
    if (!this.#worker) {
      const { spawnBrowserWorker } = await import('../runner/browser-workers');
      const worker = spawnBrowserWorker();
      worker.onExit((reason) => {
        this.#worker = null;
        this.#prepared = null;
        this.fitting = this.comparing = false;
        this.fitProblem = `The calculation stopped (${reason}); fit again.`;
      });
      this.#worker = worker;
    }
    if (this.#prepared !== spec) {
      await this.#worker.api.prepareCalibration(spec);
      this.#prepared = spec;
    }
    return this.#worker.api;
  }

  /** Fits the patient (MAP, then posterior draws and the profile), or says why not. */
  async fit(): Promise<void> {
    const { calibration, spec } = this.model;
    const record = this.record;
    this.fitProblem = null;
    if (!calibration || !spec || !record) {
      this.fitProblem = this.model.problem ?? 'Fix the records first.';
      return;
    }
    const token = ++this.#fitToken;
    this.fitting = true;
    try {
      const api = await this.worker(spec);
      // The patient's draws are keyed by its place in the table (from 1), as the CLI keys them.
      const key = (this.records.records ?? []).indexOf(record) + 1;
      const posterior = await api.fitOnePatient(record, {
        method: this.method,
        seed: SEED,
        key,
        draws: POSTERIOR_DRAWS
      });
      if (token === this.#fitToken) this.result = { ...posterior, calibration, record };
    } catch (e) {
      if (token === this.#fitToken) {
        this.result = null;
        this.fitProblem = message(e);
      }
    } finally {
      if (token === this.#fitToken) this.fitting = false;
    }
  }

  /**
   * Forecasts the candidate regimens for the fit shown once typing pauses (the page calls
   * it whenever the fit, the target or the regimens change); a later request supersedes it.
   */
  requestComparison(): void {
    const fitted = this.current;
    const target = this.target;
    const regimens = this.candidates.regimens;
    const spec = this.model.spec;
    clearTimeout(this.#compareTimer);
    const token = ++this.#compareToken;
    if (!fitted || !spec || target.problem || !regimens.length) {
      this.comparing = false;
      return;
    }
    this.comparing = true;
    this.#compareTimer = setTimeout(async () => {
      let result: ComparisonResult;
      try {
        const api = await this.worker(spec);
        const comparison = await api.compareRegimens(regimens, target.target, target.threshold);
        result = { fitted, comparison };
      } catch (e) {
        result = { fitted, problem: message(e) };
      }
      if (token !== this.#compareToken) return;
      this.compared = result;
      this.comparing = false;
    }, COMPARE_PAUSE_MS);
  }

  /** The worked example: the vancomycin protocol, the child's two levels, fitted. */
  async workedExample(): Promise<void> {
    this.source = { kind: 'protocol', name: DEFAULT_PROTOCOL };
    this.data = exampleCsv;
    this.patientId = null;
    this.targetFields = defaultTarget('C');
    this.regimens = defaultRegimens();
    this.start = { steadyState: true, start: '24' };
    await this.fit();
  }

  addRegimen(): void {
    const last = this.regimens[this.regimens.length - 1];
    this.regimens.push(last ? { ...last } : { dose: '15', unit: 'mg/kg', every: '6', infusion: '1' });
  }

  removeRegimen(i: number): void {
    this.regimens.splice(i, 1);
  }

  /** Loads the saved model texts (the workspace's database). */
  async refresh(): Promise<void> {
    const db = workbench.db ?? (await workbench.open());
    this.saved = await listModels(db);
  }
}

export const calibration = new CalibrationState();
