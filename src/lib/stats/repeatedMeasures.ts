// Long-format repeated measures (the MMRM's input: one row per subject and visit) checked and laid
// out wide, one row of visits per subject with NaN where the outcome is missing, as imputation and
// the per-visit analyses need them. A subject with no row at a visit is missing there too.
import { StatsInputError } from './errors';
import type { MmrmDataOptions, MmrmInput } from './mmrmData';
import { assertSameLength } from './validate';

export interface RepeatedMeasures {
  /** visit levels in time order */
  visits: string[];
  /** arm levels, control first */
  arms: string[];
  /** subject ids in order of first appearance */
  subjects: string[];
  nSubjects: number;
  nVisits: number;
  /** arm index of each subject */
  arm: Int32Array;
  /** baseline of each subject, or null when the input has none */
  baseline: Float64Array | null;
  /** outcomes, subject-major (nSubjects × nVisits), NaN where missing */
  y: Float64Array;
}

const collator = new Intl.Collator('en', { numeric: true });

function defaultOrder(labels: readonly string[]): string[] {
  const xs = [...new Set(labels)];
  if (xs.every((x) => x.trim() !== '' && Number.isFinite(Number(x))))
    return xs.sort((a, b) => Number(a) - Number(b));
  return xs.sort(collator.compare);
}

function labelsOf(xs: ArrayLike<string | number>, name: string): string[] {
  const out: string[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as string | number | null | undefined;
    const s = x === null || x === undefined ? '' : String(x);
    if (s.trim() === '') throw new StatsInputError(`${name}[${i}] is empty`);
    out[i] = s;
  }
  return out;
}

function indexOfLevels(levels: readonly string[], name: string): Map<string, number> {
  const map = new Map<string, number>();
  levels.forEach((l, i) => {
    if (map.has(l)) throw new StatsInputError(`${name} lists "${l}" twice`);
    map.set(l, i);
  });
  return map;
}

/** Checks long-format repeated measures and lays them out one row per subject; see the file comment. */
export function repeatedMeasures(input: MmrmInput, options: MmrmDataOptions): RepeatedMeasures {
  const { outcome, subject, baseline } = input;
  const n = outcome.length;
  assertSameLength(subject, n, 'subject', 'outcome');
  assertSameLength(input.visit, n, 'visit', 'outcome');
  assertSameLength(input.arm, n, 'arm', 'outcome');
  if (baseline) assertSameLength(baseline, n, 'baseline', 'outcome');
  const visitLabel = labelsOf(input.visit, 'visit');
  const armLabel = labelsOf(input.arm, 'arm');
  const subjectLabel = labelsOf(subject, 'subject');
  const visits = options.visitLevels ? [...options.visitLevels] : defaultOrder(visitLabel);
  const armOrder = options.armLevels ? [...options.armLevels] : defaultOrder(armLabel);
  const control = String(options.control);
  if (!armOrder.includes(control)) {
    throw new StatsInputError(`control "${control}" is not an arm level; arms are ${armOrder.join(', ')}`);
  }
  const arms = [control, ...armOrder.filter((a) => a !== control)];
  if (arms.length < 2)
    throw new StatsInputError(`the analysis needs at least two arms, got only "${control}"`);
  const visitOf = indexOfLevels(visits, 'visitLevels');
  const armOf = indexOfLevels(arms, 'armLevels');

  const subjectOf = new Map<string, number>();
  const firstRow: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!subjectOf.has(subjectLabel[i])) {
      subjectOf.set(subjectLabel[i], firstRow.length);
      firstRow.push(i);
    }
  }
  const S = firstRow.length;
  const V = visits.length;
  const arm = new Int32Array(S).fill(-1);
  const base = baseline ? new Float64Array(S) : null;
  const y = new Float64Array(S * V).fill(NaN);
  const seen = new Uint8Array(S * V);
  for (let i = 0; i < n; i++) {
    const s = subjectOf.get(subjectLabel[i]) as number;
    const id = subjectLabel[i];
    const v = visitOf.get(visitLabel[i]);
    if (v === undefined) {
      throw new StatsInputError(
        `visit[${i}] "${visitLabel[i]}" is not a visit level; levels are ${visits.join(', ')}`
      );
    }
    const a = armOf.get(armLabel[i]);
    if (a === undefined) {
      throw new StatsInputError(
        `arm[${i}] "${armLabel[i]}" is not an arm level; levels are ${arms.join(', ')}`
      );
    }
    if (arm[s] < 0) arm[s] = a;
    else if (arm[s] !== a) {
      throw new StatsInputError(
        `subject "${id}" is in arm "${arms[arm[s]]}" at row ${firstRow[s]} and "${arms[a]}" at row ${i}`
      );
    }
    if (base && baseline) {
      const b = baseline[i];
      if (!Number.isFinite(b)) throw new StatsInputError(`baseline[${i}] is not a finite number (${b})`);
      if (i === firstRow[s]) base[s] = b;
      else if (b !== base[s]) {
        throw new StatsInputError(
          `subject "${id}" has baseline ${base[s]} at row ${firstRow[s]} and ${b} at row ${i}; it must be constant`
        );
      }
    }
    if (seen[s * V + v])
      throw new StatsInputError(`subject "${id}" has two rows at visit "${visits[v]}" (row ${i})`);
    seen[s * V + v] = 1;
    const value = outcome[i];
    if (value === Infinity || value === -Infinity) {
      throw new StatsInputError(
        `outcome[${i}] is not a finite number (${value}); use NaN for a missing value`
      );
    }
    y[s * V + v] = value;
  }
  return {
    visits,
    arms,
    subjects: firstRow.map((i) => subjectLabel[i]),
    nSubjects: S,
    nVisits: V,
    arm,
    baseline: base,
    y
  };
}

/** Index of visit level `at` in `data.visits` (default the last visit), or a StatsInputError naming the levels. */
export function visitIndex(data: RepeatedMeasures, at: string | undefined): number {
  if (at === undefined) return data.nVisits - 1;
  const v = data.visits.indexOf(String(at));
  if (v < 0)
    throw new StatsInputError(`at "${at}" is not a visit level; levels are ${data.visits.join(', ')}`);
  return v;
}

/** Index of arm level `arm` in `data.arms`; `name` is the option named in the error. */
export function armIndex(data: RepeatedMeasures, arm: string, name: string): number {
  const a = data.arms.indexOf(String(arm));
  if (a < 0)
    throw new StatsInputError(`${name} "${arm}" is not an arm level; arms are ${data.arms.join(', ')}`);
  return a;
}
