/** Typed-array columns that grow by doubling: result rows of a chunk without per-row objects. */
type TypedCtor =
  Float64ArrayConstructor | Int32ArrayConstructor | Int16ArrayConstructor | Int8ArrayConstructor;

export class GrowableColumn<T extends Float64Array | Int32Array | Int16Array | Int8Array> {
  private data: T;
  length = 0;
  constructor(
    private readonly ctor: TypedCtor,
    capacity = 1024
  ) {
    this.data = new ctor(capacity) as T;
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2) as T;
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Appends every value of `values`. */
  pushAll(values: ArrayLike<number>): void {
    const need = this.length + values.length;
    if (need > this.data.length) {
      const next = new this.ctor(Math.max(need, this.data.length * 2)) as T;
      next.set(this.data);
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length = need;
  }
  /** The filled part, as a compact array (its buffer can be transferred). */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}
