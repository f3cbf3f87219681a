import { purposeHash, RandomStream } from '../rng';
import { checkFinite } from './finite-values';
import { CohortGenerationError } from './generation-error';
import { marginalValue } from './marginal';
import { roundTo, StepOp, type CohortPlan } from './plan';

/** Twins firstId .. firstId+count-1 as columns (one Float64Array per plan column;
 * categorical columns hold level codes), with the screening tallies of their draws. */
export interface CohortChunk {
  firstId: number;
  count: number;
  columns: Float64Array[];
  /** Candidates drawn (accepted + rejected). */
  screened: number;
  /** Per criterion: candidates that failed it (a candidate may fail several). */
  failedAny: number[];
  /** Per criterion: candidates for which it was the first one failed (the funnel). */
  failedFirst: number[];
}

export { CohortGenerationError };

const COHORT = purposeHash('cohort');
const BOOTSTRAP = purposeHash('bootstrap');
const PILOT = purposeHash('pilot');

export interface AcceptanceEstimate {
  draws: number;
  accepted: number;
  rate: number;
  failedAny: number[];
}

/**
 * The criteria's acceptance rate on `draws` candidates from a separate 'pilot' stream
 * (so it does not touch any twin's draws). Generation refuses to start below the spec's
 * minAcceptance, which turns an unreachable N into a clear error instead of a hang.
 */
export function estimateAcceptance(plan: CohortPlan, seed: number, draws: number): AcceptanceEstimate {
  const v = new Float64Array(plan.columns.length);
  const z = new Float64Array(plan.latentCount);
  const scratch = new Float64Array(plan.latentCount);
  const rng = new RandomStream();
  const failedAny = new Array<number>(plan.criteria.length).fill(0);
  let accepted = 0;
  for (let j = 0; j < draws; j++) {
    rng.reset(seed, PILOT, j);
    if (plan.importedRows > 0) drawImported(plan, Math.floor(rng.uniform() * plan.importedRows), v);
    else drawCandidate(plan, rng, v, z, scratch);
    let ok = true;
    plan.criteria.forEach((c, k) => {
      if (!c.evaluate(v)) {
        failedAny[k]++;
        ok = false;
      }
    });
    if (ok) accepted++;
  }
  return { draws, accepted, rate: accepted / draws, failedAny };
}

/**
 * Generates twins [firstId, firstId + count) of a cohort. Twin i's k-th screening
 * candidate is drawn from the stream (seed, 'cohort', i, k) — or, for imported twins,
 * row ⌊U·rows⌋ of (seed, 'bootstrap', i, k) — and the first candidate that meets every
 * criterion is twin i. So twin i depends only on (seed, i): not on N, chunk or worker.
 */
export function generateCohortChunk(
  plan: CohortPlan,
  seed: number,
  firstId: number,
  count: number
): CohortChunk {
  const nCols = plan.columns.length;
  const columns = Array.from({ length: nCols }, () => new Float64Array(count));
  const nCrit = plan.criteria.length;
  const failedAny = new Array<number>(nCrit).fill(0);
  const failedFirst = new Array<number>(nCrit).fill(0);
  const v = new Float64Array(nCols);
  const z = new Float64Array(plan.latentCount);
  const scratch = new Float64Array(plan.latentCount);
  const rng = new RandomStream();
  const importing = plan.importedRows > 0;
  let screened = 0;

  for (let j = 0; j < count; j++) {
    const id = firstId + j;
    let accepted = false;
    for (let attempt = 0; attempt < plan.maxAttempts; attempt++) {
      screened++;
      if (importing && !plan.bootstrap) {
        // Imported twins as they are: twin i is row i (a single candidate).
        if (id > plan.importedRows) {
          throw new CohortGenerationError(
            `twin ${id}: the imported file has only ${plan.importedRows} rows`,
            id
          );
        }
        drawImported(plan, id - 1, v);
        attempt = plan.maxAttempts;
      } else if (importing) {
        rng.reset(seed, BOOTSTRAP, id, attempt);
        drawImported(plan, Math.floor(rng.uniform() * plan.importedRows), v);
      } else {
        rng.reset(seed, COHORT, id, attempt);
        drawCandidate(plan, rng, v, z, scratch);
      }
      let firstFail = -1;
      for (let c = 0; c < nCrit; c++) {
        if (!plan.criteria[c].evaluate(v)) {
          failedAny[c]++;
          if (firstFail < 0) firstFail = c;
        }
      }
      if (firstFail < 0) {
        accepted = true;
        break;
      }
      failedFirst[firstFail]++;
    }
    if (!accepted) {
      const rate = (count === 0 ? 0 : j) / screened;
      throw new CohortGenerationError(
        `twin ${id}: no candidate met the criteria in ${plan.maxAttempts} draws ` +
          `(acceptance so far ${(rate * 100).toPrecision(3)}%; minAcceptance is ${plan.minAcceptance})`,
        id
      );
    }
    checkFinite(plan, v, id);
    for (let c = 0; c < nCols; c++) columns[c][j] = v[c];
  }
  return { firstId, count, columns, screened, failedAny, failedFirst };
}

/** Twins generated up front by checkFirstTwins: milliseconds, or a fraction of a second with strict criteria. */
export const FIRST_TWINS_CHECKED = 200;

/**
 * Generates a cohort's first twins on the calling thread, before anything is stored,
 * and throws what they throw: a value that is not finite, criteria no candidate meets.
 * Such a spec is then refused with nothing written; later twins are checked as they
 * are generated (their cohort is marked failed).
 */
export function checkFirstTwins(plan: CohortPlan, seed: number, n: number): void {
  const count = Math.min(n, FIRST_TWINS_CHECKED);
  if (plan.importedRows > 0 && !plan.bootstrap) takeImportedRows(plan, count);
  else generateCohortChunk(plan, seed, 1, count);
}

/** One candidate twin's covariates from the generative spec, written into v. */
function drawCandidate(
  plan: CohortPlan,
  rng: RandomStream,
  v: Float64Array,
  z: Float64Array,
  scratch: Float64Array
) {
  // Latent normals first, in a fixed order, then the copula blocks correlate them.
  for (let k = 0; k < z.length; k++) z[k] = rng.normal();
  for (const cop of plan.copulas) {
    const idx = cop.latents;
    const l = cop.cholesky;
    const n = idx.length;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c <= r; c++) s += l[r * n + c] * z[idx[c]];
      scratch[r] = s;
    }
    for (let r = 0; r < n; r++) z[idx[r]] = scratch[r];
  }
  const steps = plan.steps;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s];
    switch (step.op) {
      case StepOp.Continuous: {
        const m = step.marginals[step.bySlot < 0 ? 0 : v[step.bySlot]];
        v[step.slot] = roundTo(marginalValue(m, z[step.latent]), step.round);
        break;
      }
      case StepOp.Categorical: {
        const cum = step.cumulative[step.bySlot < 0 ? 0 : v[step.bySlot]];
        const u = rng.uniform();
        let k = 0;
        while (u >= cum[k]) k++;
        v[step.slot] = k;
        break;
      }
      case StepOp.Binary: {
        const p = step.values[step.bySlot < 0 ? 0 : v[step.bySlot]];
        v[step.slot] = rng.uniform() < p ? 1 : 0;
        break;
      }
      case StepOp.Band:
        v[step.slot] = bandOf(v[step.of], step.values);
        break;
      case StepOp.Compute:
        v[step.slot] = roundTo(step.evaluate(v), step.round);
        break;
      case StepOp.Import:
        break;
    }
  }
}

/** An imported row's values, then any bands and derived values, written into v. */
function drawImported(plan: CohortPlan, row: number, v: Float64Array) {
  for (const step of plan.steps) {
    if (step.op === StepOp.Import) v[step.slot] = step.values[row];
    else if (step.op === StepOp.Band) v[step.slot] = bandOf(v[step.of], step.values);
    else if (step.op === StepOp.Compute) v[step.slot] = roundTo(step.evaluate(v), step.round);
  }
}

function bandOf(x: number, breaks: Float64Array): number {
  let k = 0;
  while (k < breaks.length && x >= breaks[k]) k++;
  return k;
}

/**
 * Imported twins without resampling: rows in file order that meet the criteria become
 * twins 1, 2, … (at most `limit`). This needs one pass over the file, so it runs as a
 * single chunk; it is deterministic without any random draws.
 */
export function takeImportedRows(plan: CohortPlan, limit: number): CohortChunk {
  const nCols = plan.columns.length;
  const nCrit = plan.criteria.length;
  const failedAny = new Array<number>(nCrit).fill(0);
  const failedFirst = new Array<number>(nCrit).fill(0);
  const kept: number[] = [];
  const v = new Float64Array(nCols);
  let screened = 0;
  for (let row = 0; row < plan.importedRows && kept.length < limit; row++) {
    screened++;
    drawImported(plan, row, v);
    let firstFail = -1;
    for (let c = 0; c < nCrit; c++) {
      if (!plan.criteria[c].evaluate(v)) {
        failedAny[c]++;
        if (firstFail < 0) firstFail = c;
      }
    }
    if (firstFail < 0) kept.push(row);
    else failedFirst[firstFail]++;
  }
  const columns = Array.from({ length: nCols }, () => new Float64Array(kept.length));
  kept.forEach((row, j) => {
    drawImported(plan, row, v);
    checkFinite(plan, v, j + 1);
    for (let c = 0; c < nCols; c++) columns[c][j] = v[c];
  });
  return { firstId: 1, count: kept.length, columns, screened, failedAny, failedFirst };
}
