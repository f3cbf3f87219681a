// Long-format repeated measures (one row per subject and visit) checked and reduced to the
// sufficient statistics of an MMRM with mean arm × visit [+ baseline × visit]: subjects are grouped
// by their pattern of observed visits, and per pattern only Σ z zᵀ, Σ z yᵀ and Σ y yᵀ are kept
// (z = the subject's row of the between-subject design: 1, arm dummies, baseline). Every REML
// evaluation then costs O(patterns), not O(rows), whatever the number of subjects.
import { StatsInputError } from './errors';
import { assertSameLength } from './validate';

export interface MmrmInput {
  /** the outcome; NaN marks a missing value (the row is dropped, as R's na.omit) */
  outcome: ArrayLike<number>;
  subject: ArrayLike<string | number>;
  visit: ArrayLike<string | number>;
  arm: ArrayLike<string | number>;
  /** optional baseline covariate, constant within a subject */
  baseline?: ArrayLike<number>;
}

export interface MmrmDataOptions {
  /** the control arm's level */
  control: string;
  /** visit levels in time order; default: numeric order when every visit is a number, else natural order */
  visitLevels?: readonly string[];
  /** arm levels; default: natural order. The control is always moved first. */
  armLevels?: readonly string[];
}

/** Subjects sharing one pattern of observed visits. */
export interface MmrmPattern {
  /** observed visit indices, ascending */
  visits: Int32Array;
  nSubjects: number;
  /** Σ z zᵀ (m × m) */
  zz: Float64Array;
  /** Σ z yᵀ (m × V; y is 0 at unobserved visits) */
  zy: Float64Array;
  /** Σ y yᵀ (V × V) */
  yy: Float64Array;
}

export interface MmrmData {
  visits: string[];
  /** arm levels, control first */
  arms: string[];
  hasBaseline: boolean;
  /** baseline mean over subjects, subtracted from z (a unit-determinant reparametrisation: REML unchanged) */
  baselineCentre: number;
  /** number of visits V */
  nVisits: number;
  /** columns of z: intercept, arms − 1 dummies[, baseline] */
  m: number;
  /** fixed effects V·m, ordered visit-major: index v·m + j */
  p: number;
  nSubjects: number;
  nObservations: number;
  patterns: MmrmPattern[];
}

const collator = new Intl.Collator('en', { numeric: true });

/** Visit or arm levels in their default order: numeric when every label is a number, else natural. */
function sortLevels(labels: Iterable<string>): string[] {
  const xs = [...new Set(labels)];
  if (xs.every((x) => x.trim() !== '' && Number.isFinite(Number(x))))
    return xs.sort((a, b) => Number(a) - Number(b));
  return xs.sort(collator.compare);
}

function label(x: string | number | null | undefined, name: string, i: number): string {
  const s = x === null || x === undefined ? '' : String(x);
  if (s.trim() === '') throw new StatsInputError(`${name}[${i}] is empty`);
  return s;
}

function levelIndex(levels: readonly string[], name: string): Map<string, number> {
  const map = new Map<string, number>();
  levels.forEach((l, i) => {
    if (map.has(l)) throw new StatsInputError(`${name} lists "${l}" twice`);
    map.set(l, i);
  });
  return map;
}

/** Checks long-format MMRM input and reduces it to per-pattern sufficient statistics. */
export function mmrmData(input: MmrmInput, options: MmrmDataOptions): MmrmData {
  const { outcome, subject, visit, arm, baseline } = input;
  const n = outcome.length;
  assertSameLength(subject, n, 'subject', 'outcome');
  assertSameLength(visit, n, 'visit', 'outcome');
  assertSameLength(arm, n, 'arm', 'outcome');
  if (baseline) assertSameLength(baseline, n, 'baseline', 'outcome');

  const visitLabels: string[] = new Array(n);
  const armLabels: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    visitLabels[i] = label(visit[i], 'visit', i);
    armLabels[i] = label(arm[i], 'arm', i);
  }
  const visits = options.visitLevels ? [...options.visitLevels] : sortLevels(visitLabels);
  const armOrder = options.armLevels ? [...options.armLevels] : sortLevels(armLabels);
  const control = String(options.control);
  if (!armOrder.includes(control)) {
    throw new StatsInputError(`control "${control}" is not an arm level; arms are ${armOrder.join(', ')}`);
  }
  const arms = [control, ...armOrder.filter((a) => a !== control)];
  if (arms.length < 2) throw new StatsInputError(`MMRM needs at least two arms, got only "${control}"`);
  const V = visits.length;
  if (V > 30) throw new StatsInputError(`MMRM supports at most 30 visits, got ${V}`);
  const visitOf = levelIndex(visits, 'visitLevels');
  const armOf = levelIndex(arms, 'armLevels');

  // pass 1: subjects, their arm, baseline and outcomes by visit
  const subjectOf = new Map<string, number>();
  const subjectNames: string[] = [];
  const subjArm: number[] = [];
  const subjBase: number[] = [];
  const subjRow: number[] = [];
  const yBy: number[] = [];
  const maskBy: number[] = [];
  let nObservations = 0;
  for (let i = 0; i < n; i++) {
    const y = outcome[i];
    if (y === Infinity || y === -Infinity)
      throw new StatsInputError(`outcome[${i}] is not a finite number (${y})`);
    const v = visitOf.get(visitLabels[i]);
    if (v === undefined) {
      throw new StatsInputError(
        `visit[${i}] "${visitLabels[i]}" is not a visit level; levels are ${visits.join(', ')}`
      );
    }
    const a = armOf.get(armLabels[i]);
    if (a === undefined) {
      throw new StatsInputError(
        `arm[${i}] "${armLabels[i]}" is not an arm level; levels are ${arms.join(', ')}`
      );
    }
    const id = label(subject[i], 'subject', i);
    let s = subjectOf.get(id);
    if (s === undefined) {
      s = subjectNames.length;
      subjectOf.set(id, s);
      subjectNames.push(id);
      subjArm.push(a);
      subjBase.push(baseline ? baseline[i] : 0);
      subjRow.push(i);
      maskBy.push(0);
      for (let w = 0; w < V; w++) yBy.push(0);
    } else if (subjArm[s] !== a) {
      throw new StatsInputError(
        `subject "${id}" is in arm "${arms[subjArm[s]]}" at row ${subjRow[s]} and "${arms[a]}" at row ${i}`
      );
    }
    if (baseline) {
      const b = baseline[i];
      if (!Number.isFinite(b)) throw new StatsInputError(`baseline[${i}] is not a finite number (${b})`);
      if (b !== subjBase[s]) {
        throw new StatsInputError(
          `subject "${id}" has baseline ${subjBase[s]} at row ${subjRow[s]} and ${b} at row ${i}; it must be constant`
        );
      }
    }
    if (Number.isNaN(y)) continue;
    if (maskBy[s] & (1 << v))
      throw new StatsInputError(`subject "${id}" has two outcomes at visit "${visits[v]}"`);
    maskBy[s] |= 1 << v;
    yBy[s * V + v] = y;
    nObservations++;
  }

  // observations per visit × arm: an empty cell makes that arm's effect at the visit inestimable
  const A = arms.length;
  const cell = new Int32Array(V * A);
  let centre = 0;
  let nSubjects = 0;
  for (let s = 0; s < subjectNames.length; s++) {
    if (maskBy[s] === 0) continue;
    nSubjects++;
    centre += subjBase[s];
    for (let v = 0; v < V; v++) if (maskBy[s] & (1 << v)) cell[v * A + subjArm[s]]++;
  }
  for (let v = 0; v < V; v++) {
    for (let a = 0; a < A; a++) {
      if (cell[v * A + a] === 0) {
        throw new StatsInputError(`visit "${visits[v]}" has no observations in arm "${arms[a]}"`);
      }
    }
  }
  centre = baseline ? centre / nSubjects : 0;

  // pass 2: sufficient statistics per pattern of observed visits
  const m = A + (baseline ? 1 : 0);
  const patternOf = new Map<number, MmrmPattern>();
  const z = new Float64Array(m);
  for (let s = 0; s < subjectNames.length; s++) {
    const mask = maskBy[s];
    if (mask === 0) continue;
    let pat = patternOf.get(mask);
    if (!pat) {
      const idx: number[] = [];
      for (let v = 0; v < V; v++) if (mask & (1 << v)) idx.push(v);
      pat = {
        visits: Int32Array.from(idx),
        nSubjects: 0,
        zz: new Float64Array(m * m),
        zy: new Float64Array(m * V),
        yy: new Float64Array(V * V)
      };
      patternOf.set(mask, pat);
    }
    z.fill(0);
    z[0] = 1;
    if (subjArm[s] > 0) z[subjArm[s]] = 1;
    if (baseline) z[A] = subjBase[s] - centre;
    pat.nSubjects++;
    const o = s * V;
    for (let j = 0; j < m; j++) {
      for (let l = 0; l < m; l++) pat.zz[j * m + l] += z[j] * z[l];
      for (let w = 0; w < V; w++) pat.zy[j * V + w] += z[j] * yBy[o + w];
    }
    for (let v = 0; v < V; v++) for (let w = 0; w < V; w++) pat.yy[v * V + w] += yBy[o + v] * yBy[o + w];
  }
  const patterns = [...patternOf.entries()].sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  return {
    visits,
    arms,
    hasBaseline: !!baseline,
    baselineCentre: centre,
    nVisits: V,
    m,
    p: V * m,
    nSubjects,
    nObservations,
    patterns
  };
}
