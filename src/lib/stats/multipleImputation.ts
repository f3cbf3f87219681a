// m completed copies of repeated measures, imputation i drawn from the stream keyed by
// (seed, 'multiple-imputation', i): each imputation depends only on its key, never on m or on
// the order they are drawn in, and the methods share keys, so imputation i of J2R and of MAR
// draw the same models and differ only after dropout in the active arms.
import { RandomStream, purposeHash } from '../engine/rng';
import { StatsInputError } from './errors';
import { imputeMar, type ImputationModel } from './imputeMar';
import { imputeReferenceBased, type ReferenceBasedMethod } from './imputeReferenceBased';
import type { RepeatedMeasures } from './repeatedMeasures';

export type MultipleImputationMethod = 'mar' | ReferenceBasedMethod;

export const MULTIPLE_IMPUTATION_METHODS: readonly MultipleImputationMethod[] = ['mar', 'j2r', 'cr', 'cir'];

/** At most this many imputations: beyond a few hundred, Rubin's rules gain nothing measurable. */
export const MAX_IMPUTATIONS = 1000;

const PURPOSE = purposeHash('multiple-imputation');

export interface MultipleImputationOptions {
  method: MultipleImputationMethod;
  /** number of imputations m, 2 … MAX_IMPUTATIONS */
  imputations: number;
  seed: number;
  /** index of the reference arm in `data.arms` for the reference-based methods; default 0 (control) */
  reference?: number;
  model?: ImputationModel;
}

/** Draws `imputations` completed copies of `data.y`; see the file comment. */
export function multipleImputation(
  data: RepeatedMeasures,
  options: MultipleImputationOptions
): Float64Array[] {
  const { method, imputations: m, seed } = options;
  if (!MULTIPLE_IMPUTATION_METHODS.includes(method)) {
    throw new StatsInputError(
      `imputation method "${method}" is not one of ${MULTIPLE_IMPUTATION_METHODS.join(', ')}`
    );
  }
  if (!(Number.isInteger(m) && m >= 2 && m <= MAX_IMPUTATIONS)) {
    throw new StatsInputError(`imputations must be an integer from 2 to ${MAX_IMPUTATIONS}, got ${m}`);
  }
  if (!(Number.isSafeInteger(seed) && seed >= 0)) {
    throw new StatsInputError(`seed must be a non-negative integer, got ${seed}`);
  }
  const stream = new RandomStream();
  const out: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    stream.reset(seed, PURPOSE, i);
    out.push(
      method === 'mar'
        ? imputeMar(data, stream, options.model).y
        : imputeReferenceBased(data, stream, method, options.reference ?? 0, options.model)
    );
  }
  return out;
}
