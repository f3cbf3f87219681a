import { ancova } from '../stats/ancova';
import { ancovaAllArms } from '../stats/ancovaAllArms';
import { StatsInputError } from '../stats/errors';
import {
  MISSING_DATA_METHODS,
  missingDataAnalysis,
  type MissingDataMethod
} from '../stats/missingDataAnalysis';
import { mmrm } from '../stats/mmrm';
import type { MmrmDataOptions, MmrmInput } from '../stats/mmrmData';
import { repeatedMeasures, visitIndex, type RepeatedMeasures } from '../stats/repeatedMeasures';
import { tippingPoint, type TippingPointRow } from '../stats/tippingPoint';
import { METHOD_NAMES } from './compare-method-names';

/**
 * Every analysis of repeated measures with missing values that a trial statistician compares,
 * run on one long-format dataset (one row per subject and visit) and reported per active arm at
 * one visit: the MMRM over all visits (stats/mmrm), ANCOVA on the completers at the visit (all
 * arms in one model, and each arm with the control alone), multiple imputation under MAR and
 * reference-based (J2R, CR, CIR) pooled by Rubin's rules, the legacy LOCF, BOCF and completers,
 * and a tipping-point analysis of the MAR imputation. The method names are the JSON field names
 * of `twinbench analyze --type repeated`; the same function analyses each replicate trial of
 * `twinbench power` (analysis/replicate-analysis), so a file and a simulated trial are analysed
 * alike. A method that cannot be computed on these data (BOCF without a baseline, nothing
 * missing to shift) gives null values with a note; a problem of the data as a whole (a visit
 * with no value in an arm) is thrown.
 */
export type RepeatedMethod = 'mmrm' | 'ancova' | 'ancova_pairwise' | MissingDataMethod | 'tipping_point';

/** Every method, in the order the report lists them. */
export const REPEATED_METHODS: readonly RepeatedMethod[] = [
  'mmrm',
  'ancova',
  'ancova_pairwise',
  ...MISSING_DATA_METHODS,
  'tipping_point'
];

export interface RepeatedAnalysisOptions extends MmrmDataOptions {
  /** the visit level analysed; default the last visit */
  at?: string;
  /** default every method */
  methods?: readonly RepeatedMethod[];
  /** default 0.95 */
  confLevel?: number;
  /** multiple imputation: number of imputations, default 20 */
  imputations?: number;
  /** multiple imputation: seed of the imputation streams, default 1 */
  seed?: number;
  /** tipping point: significance level, default 0.05 */
  alpha?: number;
}

/** One active arm against the control by one method; null values where it could not be computed. */
export interface RepeatedEffect {
  arm: string;
  estimate: number | null;
  stdErr: number | null;
  /** the t reference's degrees of freedom (Satterthwaite, residual, or Barnard–Rubin) */
  df: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
}

/** The tipping point of one active arm: the first shift of its imputed values that loses significance. */
export interface RepeatedTipping {
  arm: string;
  /** null when every shift of the grid stays significant */
  tippingDelta: number | null;
  /** imputed values shifted per imputation */
  shifted: number;
  grid: TippingPointRow[];
}

export interface RepeatedMethodResult {
  method: RepeatedMethod;
  /** the method's readable name, e.g. "Jump to reference (20 imputations, Rubin's rules)" */
  label: string;
  /** one per active arm, in arm order (tipping_point: the row at the tipping shift) */
  effects: RepeatedEffect[];
  /** why the method gave no values; null when it did */
  note: string | null;
  /** mmrm: the covariance structure fitted, and why earlier ones were not */
  covariance?: string;
  fallbackReason?: string | null;
  /** tipping_point: per active arm */
  tipping?: RepeatedTipping[];
}

export interface RepeatedArmCount {
  arm: string;
  subjects: number;
  /** subjects with a value at each visit, in `visits` order */
  observed: number[];
}

export interface RepeatedAnalysis {
  type: 'repeated';
  /** control first */
  arms: string[];
  control: string;
  /** visit levels in time order */
  visits: string[];
  at: string;
  confLevel: number;
  imputations: number;
  seed: number;
  counts: RepeatedArmCount[];
  /** keyed by method, in REPEATED_METHODS order */
  analyses: Partial<Record<RepeatedMethod, RepeatedMethodResult>>;
}

const MI_LABELS: Record<string, string> = {
  mi_mar: 'Multiple imputation under MAR',
  mi_j2r: 'Jump to reference',
  mi_cr: 'Copy reference',
  mi_cir: 'Copy increments from reference'
};

/** The readable name of a method as the report prints it. */
export function repeatedMethodLabel(method: RepeatedMethod, imputations = 20): string {
  const mi = `${imputations} imputations, Rubin's rules`;
  switch (method) {
    case 'mmrm':
      return 'MMRM (unstructured, REML, Satterthwaite df)';
    case 'ancova':
      return `${METHOD_NAMES.ancova}, completers at the visit`;
    case 'ancova_pairwise':
      return `${METHOD_NAMES.ancova_pairwise}, completers at the visit`;
    case 'locf':
      return 'LOCF (legacy single imputation)';
    case 'bocf':
      return 'BOCF (legacy single imputation)';
    case 'completers':
      return 'Completers (legacy)';
    case 'tipping_point':
      return `Tipping point (MAR imputation shifted in the active arm, ${mi})`;
    default:
      return `${MI_LABELS[method]} (${mi})`;
  }
}

/** The MMRM's label with the covariance structure and df method it used. */
function mmrmLabel(covariance: string, dfMethod: string): string {
  const df = dfMethod === 'satterthwaite' ? 'Satterthwaite df' : 'between-within df';
  return `MMRM (${covariance.replace(/-/g, ' ')}, REML, ${df})`;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function effect(
  arm: string,
  e: { estimate: number; stdErr: number; df: number; ciLow: number; ciHigh: number; pValue: number }
): RepeatedEffect {
  return {
    arm,
    estimate: finite(e.estimate),
    stdErr: finite(e.stdErr),
    df: finite(e.df),
    ciLow: finite(e.ciLow),
    ciHigh: finite(e.ciHigh),
    pValue: finite(e.pValue)
  };
}

function noEffects(arms: readonly string[]): RepeatedEffect[] {
  return arms.slice(1).map((arm) => ({
    arm,
    estimate: null,
    stdErr: null,
    df: null,
    ciLow: null,
    ciHigh: null,
    pValue: null
  }));
}

/** Throws naming the first visit and arm with no observed value (no analysis can estimate it). */
function countObserved(data: RepeatedMeasures): RepeatedArmCount[] {
  const { nSubjects: S, nVisits: V } = data;
  const counts = data.arms.map((arm) => ({ arm, subjects: 0, observed: new Array<number>(V).fill(0) }));
  for (let s = 0; s < S; s++) {
    const c = counts[data.arm[s]];
    c.subjects++;
    for (let v = 0; v < V; v++) if (!Number.isNaN(data.y[s * V + v])) c.observed[v]++;
  }
  for (let v = 0; v < V; v++)
    for (const c of counts) {
      if (c.observed[v] === 0)
        throw new StatsInputError(
          `visit "${data.visits[v]}" has no observed value in arm "${c.arm}" (${c.subjects} subjects)`
        );
    }
  return counts;
}

/** The completers' baseline, outcome and arm index at one visit (subjects with a value there). */
function completersAt(data: RepeatedMeasures, visit: number) {
  const V = data.nVisits;
  const rows: number[] = [];
  for (let s = 0; s < data.nSubjects; s++) if (!Number.isNaN(data.y[s * V + visit])) rows.push(s);
  return {
    outcome: Float64Array.from(rows, (s) => data.y[s * V + visit]),
    arm: Int32Array.from(rows, (s) => data.arm[s]),
    baseline: data.baseline ? Float64Array.from(rows, (s) => (data.baseline as Float64Array)[s]) : null
  };
}

/** Runs the requested analyses of `input`; see the file comment. */
export function repeatedAnalysis(input: MmrmInput, options: RepeatedAnalysisOptions): RepeatedAnalysis {
  const methods = options.methods ?? REPEATED_METHODS;
  for (const m of methods) {
    if (!REPEATED_METHODS.includes(m))
      throw new StatsInputError(`analysis "${m}" is not one of ${REPEATED_METHODS.join(', ')}`);
  }
  const confLevel = options.confLevel ?? 0.95;
  const imputations = options.imputations ?? 20;
  const seed = options.seed ?? 1;
  const data = repeatedMeasures(input, options);
  const visit = visitIndex(data, options.at);
  const at = data.visits[visit];
  const counts = countObserved(data);
  const levels = { control: options.control, visitLevels: data.visits, armLevels: data.arms };
  const common = { ...levels, at, confLevel, imputations, seed };
  const analyses: RepeatedAnalysis['analyses'] = {};
  for (const method of REPEATED_METHODS) {
    if (!methods.includes(method)) continue;
    const label = repeatedMethodLabel(method, imputations);
    try {
      analyses[method] = { method, label, note: null, ...run(method) };
    } catch (e) {
      if (!(e instanceof StatsInputError)) throw e;
      analyses[method] = { method, label, effects: noEffects(data.arms), note: e.message };
    }
  }
  return {
    type: 'repeated',
    arms: data.arms,
    control: data.arms[0],
    visits: data.visits,
    at,
    confLevel,
    imputations,
    seed,
    counts,
    analyses
  };

  function run(method: RepeatedMethod): Omit<RepeatedMethodResult, 'method' | 'note' | 'label'> & {
    label?: string;
  } {
    if (method === 'mmrm') {
      const fit = mmrm(input, { ...levels, at, confLevel });
      return {
        label: mmrmLabel(fit.covariance, fit.dfMethod),
        effects: fit.primary.map((e) => effect(e.arm, e)),
        covariance: fit.covariance,
        fallbackReason: fit.fallbackReason
      };
    }
    if (method === 'ancova' || method === 'ancova_pairwise') {
      const c = completersAt(data, visit);
      if (!c.baseline) throw new StatsInputError('ANCOVA needs a baseline (--baseline <column>)');
      if (method === 'ancova') {
        const fit = ancovaAllArms({ outcome: c.outcome, arm: c.arm, baseline: c.baseline }, { confLevel });
        return { effects: fit.effects.map((e) => effect(data.arms[e.arm], { ...e, df: fit.df })) };
      }
      const base = c.baseline;
      return {
        effects: data.arms.slice(1).map((arm, k) => {
          const rows = Array.from(c.arm.keys()).filter((i) => c.arm[i] === 0 || c.arm[i] === k + 1);
          const r = ancova(
            {
              outcome: rows.map((i) => c.outcome[i]),
              treatment: rows.map((i) => (c.arm[i] === 0 ? 0 : 1)),
              baseline: rows.map((i) => base[i])
            },
            { confLevel }
          );
          return effect(arm, { ...r, ciLow: r.ciLower, ciHigh: r.ciUpper });
        })
      };
    }
    if (method === 'tipping_point') return tipping();
    const r = missingDataAnalysis(input, { ...common, method });
    return { effects: r.effects.map((e) => effect(e.arm, e)) };
  }

  function tipping(): Pick<RepeatedMethodResult, 'effects' | 'tipping'> {
    const rows: RepeatedTipping[] = [];
    const effects: RepeatedEffect[] = [];
    for (const arm of data.arms.slice(1)) {
      const t = tippingPoint(input, { ...common, arm, alpha: options.alpha });
      rows.push({ arm, tippingDelta: t.tippingDelta, shifted: t.shifted, grid: t.grid });
      const at = t.grid.find((g) => g.delta === t.tippingDelta) ?? t.grid[t.grid.length - 1];
      effects.push(effect(arm, at));
    }
    return { effects, tipping: rows };
  }
}
