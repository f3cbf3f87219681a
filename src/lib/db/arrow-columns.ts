import { Field, Float64, List, makeData, makeVector, type Vector } from 'apache-arrow';

/**
 * Arrow columns built from typed arrays without copying them, for the stores' inserts.
 * A column without nulls takes the Node connector's memcpy path into DuckDB; one with
 * nulls (a validity bitmap) goes through its value-by-value path.
 */

/** A validity bitmap (Arrow's LSB bit order) for rows where `valid(r)` holds, and its null count. */
function validity(n: number, valid: (r: number) => boolean): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    if (valid(r)) bitmap[r >> 3] |= 1 << (r & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

/**
 * Consecutive runs of `values`, `lengths[i]` long, as an Arrow list column (no copy);
 * rows where `valid` is false are NULL lists (their values are still in `values`).
 */
export function doubleLists(
  lengths: Int32Array,
  values: Float64Array,
  valid?: (row: number) => boolean
): Vector<List<Float64>> {
  const n = lengths.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + lengths[i];
  const child = makeData({ type: new Float64(), length: values.length, data: values });
  const type = new List(new Field('item', new Float64(), false));
  const nulls = valid ? validity(n, valid) : undefined;
  return makeVector(
    makeData({
      type,
      length: n,
      nullCount: nulls?.nulls ?? 0,
      nullBitmap: nulls?.nulls ? nulls.bitmap : undefined,
      valueOffsets: offsets,
      child
    })
  );
}

/** `rows` lists of `width` values each (row-major `values`); see `doubleLists`. */
export function fixedDoubleLists(
  rows: number,
  width: number,
  values: Float64Array,
  valid?: (row: number) => boolean
): Vector<List<Float64>> {
  return doubleLists(new Int32Array(rows).fill(width), values, valid);
}

/** A DOUBLE column in which NaN is stored as NULL (a value that does not exist). */
export function doublesOrNull(values: Float64Array): Vector<Float64> {
  const { bitmap, nulls } = validity(values.length, (r) => !Number.isNaN(values[r]));
  return makeVector(
    makeData({
      type: new Float64(),
      length: values.length,
      nullCount: nulls,
      nullBitmap: nulls ? bitmap : undefined,
      data: values
    })
  );
}
