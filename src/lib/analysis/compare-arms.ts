import { rowsOf, sqlIdent, sqlString, type Connector } from '../db/connector';
import { pAdjust, StatsInputError, studentTQuantile, wilsonInterval, type TargetWindow } from '../stats';
import { binaryComparisons, type BinaryArmData } from './compare-binary';
import {
  ancovaAllArmsRows,
  continuousComparisons,
  dunnettRows,
  type ContinuousArmData
} from './compare-continuous';
import { counterfactualEffects } from './compare-counterfactual';
import { CompareInputError } from './compare-errors';
import { factorialRow } from './compare-factorial';
import { cleanArmSource, type CleanArmSource, type RawArmSource, type Role } from './compare-source';
import { targetAttainmentByArm } from './compare-target';
import { kmMedianRow, tteComparisons, type TteArmData } from './compare-tte';
import {
  PRIMARY_CANDIDATES,
  type AdjustMethod,
  type ArmSummary,
  type Comparison,
  type ComparisonMethod,
  type ComparisonRow,
  type DunnettRow,
  type EndpointType,
  type FactorialDesign,
  type FactorialInteractionRow,
  type TargetAttainment
} from './compare-types';

export interface AnalyzeOptions {
  type: EndpointType;
  /** the endpoint's name in the output */
  endpoint: string;
  /** the control arm's level */
  control: string;
  /** default: ancova (all arms) with a baseline, else welch_t; binary chi_square; tte log_rank */
  primary?: ComparisonMethod;
  /** multiplicity adjustment of the primary p-values across arms (default holm) */
  adjust?: AdjustMethod;
  confLevel?: number;
  /** continuous: the endpoint is an exposure metric (AUC, Cmax, …): adds the geometric mean ratio */
  exposure?: boolean;
  /** continuous: the target window for the probability of target attainment by arm */
  target?: TargetWindow;
  /** continuous: the arms form a 2×2 factorial; adds its interaction test */
  factorial?: FactorialDesign;
}

/** The default primary method of an endpoint type. */
export function defaultPrimary(type: EndpointType, hasBaseline: boolean): ComparisonMethod {
  if (type === 'continuous') return hasBaseline ? 'ancova' : 'welch_t';
  return type === 'binary' ? 'chi_square' : 'log_rank';
}

interface ArmCount {
  arm: string | null;
  total: number;
  n: number;
  first: number;
}

async function readVectors(
  db: Connector,
  clean: CleanArmSource,
  arm: string,
  roles: Role[]
): Promise<Record<Role, Float64Array>> {
  const t = await db.query(
    `SELECT ${roles.map((r) => `${sqlIdent(r)}::DOUBLE AS ${sqlIdent(r)}`).join(', ')} FROM (${clean.relation}) ` +
      `WHERE arm = ${sqlString(arm)} AND ${clean.complete} ORDER BY row_id`
  );
  const out = {} as Record<Role, Float64Array>;
  for (const r of roles) {
    const col = t.getChild(r);
    const values = col ? col.toArray() : new Float64Array(0);
    out[r] = values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
  }
  return out;
}

/**
 * Compares every arm with the control for one endpoint of a source (a data file or a run):
 * validates the values, summarises each arm in SQL, runs every applicable method on each
 * active arm against the control, and adjusts the primary method's p-values for multiplicity.
 * Rows missing a needed value are excluded and counted per arm.
 */
export async function analyzeArms(
  db: Connector,
  raw: RawArmSource,
  options: AnalyzeOptions
): Promise<Comparison> {
  const { type, control } = options;
  const confLevel = options.confLevel ?? 0.95;
  const adjust = options.adjust ?? 'holm';
  const clean = await cleanArmSource(db, raw);
  const hasBaseline = clean.roles.includes('baseline');
  const primary = options.primary ?? defaultPrimary(type, hasBaseline);
  if (!PRIMARY_CANDIDATES[type].includes(primary)) {
    throw new CompareInputError(
      `--primary: '${primary}' is not a primary method for a ${type} endpoint ` +
        `(choose from ${PRIMARY_CANDIDATES[type].join(', ')})`
    );
  }
  if ((primary === 'ancova' || primary === 'ancova_pairwise') && !hasBaseline)
    throw new CompareInputError(`--primary ${primary} needs --baseline <column>`);
  if (primary === 'gmr' && !options.exposure)
    throw new CompareInputError(`--primary gmr needs --exposure (an exposure endpoint with positive values)`);
  if (type !== 'continuous') {
    for (const [given, option] of [
      [options.exposure, '--exposure'],
      [options.target, '--target'],
      [options.factorial, 'a factorial design']
    ] as const) {
      if (given) throw new CompareInputError(`${option} applies to continuous endpoints only`);
    }
  }
  const yColumn = raw.roles.find((r) => r.role === 'y' || r.role === 'time')?.column ?? options.endpoint;

  const counts = rowsOf<ArmCount>(
    await db.query(
      `SELECT arm, count(*)::DOUBLE AS total, count(*) FILTER (WHERE ${clean.complete})::DOUBLE AS n, ` +
        `min(row_id)::DOUBLE AS first ` +
        `FROM (${clean.relation}) GROUP BY arm`
    )
  );
  const missingArm = counts.find((c) => c.arm === null)?.total ?? 0;
  const byArm = new Map(counts.filter((c) => c.arm !== null).map((c) => [c.arm as string, c]));
  const levels = [...byArm.keys()];
  const listed = () => [...levels].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (levels.length === 0) throw new CompareInputError(`no rows have an arm in column '${raw.armColumn}'`);
  if (!byArm.has(control)) {
    throw new CompareInputError(
      `--control: '${control}' is not a level of column '${raw.armColumn}' (levels: ${listed().join(', ')})`
    );
  }
  if (levels.length < 2) {
    throw new CompareInputError(
      `column '${raw.armColumn}' has only the level '${control}'; there is no arm to compare`
    );
  }
  // the control first, then the active arms in order of first appearance in the data
  const arms = [
    control,
    ...levels.filter((l) => l !== control).sort((a, b) => byArm.get(a)!.first - byArm.get(b)!.first)
  ];
  for (const a of arms) {
    const c = byArm.get(a)!;
    if (c.n < 2) {
      throw new CompareInputError(
        `arm '${a}' has ${c.n} complete observation${c.n === 1 ? '' : 's'}` +
          `${c.total > c.n ? ` (${c.total - c.n} with missing values)` : ''}; each arm needs at least 2`
      );
    }
  }
  const missing = (a: string) => byArm.get(a)!.total - byArm.get(a)!.n;
  const from = `(${clean.relation}) WHERE arm IS NOT NULL AND ${clean.complete}`;

  let summaries: ArmSummary[];
  const comparisons: ComparisonRow[] = [];
  let dunnett: DunnettRow[] | null = null;
  let targetAttainment: TargetAttainment | null = null;
  let factorial: FactorialInteractionRow | null = null;
  if (type === 'continuous') {
    const rows = rowsOf<{
      arm: string;
      n: number;
      mean: number;
      sd: number;
      median: number;
      q1: number;
      q3: number;
      min: number;
      max: number;
    }>(
      await db.query(
        `SELECT arm, count(*)::DOUBLE AS n, avg(y)::DOUBLE AS mean, stddev_samp(y)::DOUBLE AS sd, ` +
          `quantile_cont(y, 0.5)::DOUBLE AS median, quantile_cont(y, 0.25)::DOUBLE AS q1, ` +
          `quantile_cont(y, 0.75)::DOUBLE AS q3, min(y)::DOUBLE AS min, max(y)::DOUBLE AS max FROM ${from} GROUP BY arm`
      )
    );
    const s = new Map(rows.map((r) => [r.arm, r]));
    summaries = arms.map((a) => {
      const r = s.get(a)!;
      if (!(r.sd > 0)) {
        throw new CompareInputError(
          `arm '${a}': every value of '${yColumn}' is ${r.min} (zero variance); the arms cannot be compared`
        );
      }
      const se = r.sd / Math.sqrt(r.n);
      const half = studentTQuantile(1 - (1 - confLevel) / 2, r.n - 1) * se;
      return { ...r, arm: a, missing: missing(a), se, ciLow: r.mean - half, ciHigh: r.mean + half };
    });
    const data: ContinuousArmData[] = [];
    for (const a of arms) {
      const v = await readVectors(db, clean, a, hasBaseline ? ['y', 'baseline'] : ['y']);
      data.push({ arm: a, y: v.y, baseline: hasBaseline ? v.baseline : null });
    }
    const allArms = hasBaseline ? ancovaAllArmsRows(data[0], data.slice(1), confLevel) : [];
    data.slice(1).forEach((d, i) => {
      comparisons.push(...continuousComparisons(d, data[0], confLevel, { exposure: options.exposure }));
      if (hasBaseline) comparisons.push(allArms[i]);
    });
    if (options.target) targetAttainment = targetAttainmentByArm(data, options.target, confLevel);
    if (options.factorial) factorial = factorialRow(options.factorial, data, confLevel);
    try {
      dunnett = dunnettRows(data.slice(1), data[0], confLevel);
    } catch (e) {
      if (!(e instanceof StatsInputError)) throw e;
    }
  } else if (type === 'binary') {
    const rows = rowsOf<{ arm: string; n: number; events: number }>(
      await db.query(`SELECT arm, count(*)::DOUBLE AS n, sum(y)::DOUBLE AS events FROM ${from} GROUP BY arm`)
    );
    const s = new Map(rows.map((r) => [r.arm, r]));
    const total = rows.reduce((t, r) => t + r.n, 0);
    const events = rows.reduce((t, r) => t + r.events, 0);
    if (events === 0 || events === total) {
      throw new CompareInputError(
        `column '${yColumn}' is ${events === 0 ? 0 : 1} in every row (${events === 0 ? 'no' : 'all'} events); ` +
          `the arms cannot be compared`
      );
    }
    const data: BinaryArmData[] = arms.map((a) => ({ arm: a, n: s.get(a)!.n, events: s.get(a)!.events }));
    summaries = data.map((d) => {
      const w = wilsonInterval(d.events, d.n, { confLevel });
      return {
        arm: d.arm,
        n: d.n,
        missing: missing(d.arm),
        events: d.events,
        proportion: w.estimate,
        ciLow: w.ciLower,
        ciHigh: w.ciUpper
      };
    });
    for (const d of data.slice(1)) comparisons.push(...binaryComparisons(d, data[0], confLevel));
  } else {
    const data: TteArmData[] = [];
    for (const a of arms) {
      const v = await readVectors(db, clean, a, ['time', 'event']);
      data.push({ arm: a, time: v.time, event: v.event });
    }
    const rows = rowsOf<{ arm: string; events: number }>(
      await db.query(`SELECT arm, sum(event)::DOUBLE AS events FROM ${from} GROUP BY arm`)
    );
    const ev = new Map(rows.map((r) => [r.arm, r.events]));
    if (rows.every((r) => r.events === 0)) {
      throw new CompareInputError(`no events: every row is censored; the arms cannot be compared`);
    }
    const medians = data.map((d) => kmMedianRow(d, confLevel));
    summaries = data.map((d, i) => ({
      arm: d.arm,
      n: d.time.length,
      missing: missing(d.arm),
      events: ev.get(d.arm) ?? 0,
      median: medians[i].estimate,
      ciLow: medians[i].ciLow,
      ciHigh: medians[i].ciHigh
    }));
    for (const d of data.slice(1)) comparisons.push(...tteComparisons(d, data[0], confLevel));
    comparisons.push(...medians);
  }

  // multiplicity: the primary method's p-values across the active arms
  // (an odds ratio is reported as woolf or haldane by the table's cells: either one is primary)
  const family = (m: ComparisonMethod) => (m.startsWith('odds_ratio') ? 'odds_ratio' : m);
  const primaryRows = comparisons.filter((r) => family(r.method) === family(primary) && r.pValue !== null);
  const adjusted = pAdjust(
    primaryRows.map((r) => r.pValue as number),
    adjust
  );
  primaryRows.forEach((r, i) => (r.pAdjusted = adjusted[i]));

  return {
    endpoint: options.endpoint,
    type,
    control,
    primary,
    adjust,
    confLevel,
    arms: summaries,
    comparisons,
    dunnett,
    missingArm,
    counterfactual: clean.counterfactual
      ? await counterfactualEffects(db, clean.counterfactual, arms, type)
      : null,
    baseline: raw.roles.find((r) => r.role === 'baseline')?.column ?? null,
    targetAttainment,
    factorial,
    source: clean.source
  };
}
