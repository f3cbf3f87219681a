/**
 * Sums the twins' true estimand values (`EstimandTruth.values` of each chunk) per
 * replicate, always in twin order: chunks that arrive early wait until the chunks
 * before them have been added, so the sums are identical to the bit whatever the chunk
 * size or the order the workers finish in.
 */
export class EstimandTruthTotals {
  /** Per replicate, K sums (estimand × arm) and the twins added. */
  readonly sums: Float64Array[];
  readonly counts: Int32Array;
  private readonly next: Int32Array;
  private readonly pending: Map<number, Float64Array>[];

  constructor(
    private readonly k: number,
    replicates: number
  ) {
    this.sums = Array.from({ length: replicates }, () => new Float64Array(k));
    this.counts = new Int32Array(replicates);
    this.next = new Int32Array(replicates).fill(1);
    this.pending = Array.from({ length: replicates }, () => new Map());
  }

  /** A chunk's values: twins firstId… of replicate r, twin-major with K values each. */
  add(replicate: number, firstId: number, values: Float64Array): void {
    if (this.k === 0) return;
    const pending = this.pending[replicate];
    pending.set(firstId, values);
    let chunk: Float64Array | undefined;
    while ((chunk = pending.get(this.next[replicate]))) {
      pending.delete(this.next[replicate]);
      const sum = this.sums[replicate];
      const n = chunk.length / this.k;
      for (let j = 0; j < n; j++) for (let q = 0; q < this.k; q++) sum[q] += chunk[j * this.k + q];
      this.counts[replicate] += n;
      this.next[replicate] += n;
    }
  }
}
