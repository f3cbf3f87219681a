import { ExactSum, type ExactSumState } from '../../stats/exactSum';

/**
 * Sums the twins' true estimand values (`EstimandTruth.values` of each chunk) per
 * replicate. The sums are exact until read (`ExactSum`), so they are identical to the bit
 * whatever the chunk size, the order the workers finish in, or the shards a trial is split
 * into (a shard's sums travel in its manifest and are added with `addSums`).
 */
export class EstimandTruthTotals {
  /** Per replicate, K exact sums (estimand × arm). */
  private readonly sums: ExactSum[][];
  /** Per replicate, the twins added. */
  readonly counts: Int32Array;

  constructor(
    private readonly k: number,
    replicates: number
  ) {
    this.sums = Array.from({ length: replicates }, () => Array.from({ length: k }, () => new ExactSum()));
    this.counts = new Int32Array(replicates);
  }

  /** A chunk's values: twins of replicate r, twin-major with K values each. */
  add(replicate: number, values: Float64Array): void {
    if (this.k === 0) return;
    const sum = this.sums[replicate];
    const n = values.length / this.k;
    for (let j = 0; j < n; j++) for (let q = 0; q < this.k; q++) sum[q].add(values[j * this.k + q]);
    this.counts[replicate] += n;
  }

  /** Adds the totals of another part of the same twins (a shard's `state()`). */
  addSums(state: EstimandTruthState): void {
    state.sums.forEach((sums, r) => sums.forEach((s, q) => this.sums[r][q].addSum(s)));
    state.counts.forEach((n, r) => (this.counts[r] += n));
  }

  /** The sum of value q in replicate r, correctly rounded. */
  sum(replicate: number, q: number): number {
    return this.sums[replicate][q].value();
  }

  get replicates(): number {
    return this.counts.length;
  }

  state(): EstimandTruthState {
    return { sums: this.sums.map((r) => r.map((s) => s.state())), counts: [...this.counts] };
  }
}

/** EstimandTruthTotals' exact state, per replicate and value. */
export interface EstimandTruthState {
  sums: ExactSumState[][];
  counts: number[];
}
