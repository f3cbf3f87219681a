// Pearson chi-square test of independence for an r × c table, with Yates' continuity correction
// for 2 × 2 tables, as R chisq.test(x, correct = …).
// Reference: Agresti (2002), Categorical Data Analysis §3.2; Yates (1934), JRSS Suppl. 1:217–235.
import { StatsInputError } from './errors';
import { chiSquareSurvival } from './distributions';

export interface ChiSquareTestResult {
  statistic: number;
  df: number;
  pValue: number;
  /** expected counts under independence, same shape as the table */
  expected: number[][];
  /** true when Yates' correction was applied (2 × 2 with correct = true) */
  yates: boolean;
}

/** Chi-square test of independence; `correct` (default true) applies Yates' correction to 2 × 2 tables. */
export function chiSquareTest(
  table: ReadonlyArray<ReadonlyArray<number>>,
  options: { correct?: boolean } = {}
): ChiSquareTestResult {
  const correct = options.correct ?? true;
  const r = table.length;
  if (r < 2) throw new StatsInputError(`chiSquareTest: table needs at least 2 rows, got ${r}`);
  const c = table[0].length;
  if (c < 2) throw new StatsInputError(`chiSquareTest: table needs at least 2 columns, got ${c}`);
  const rowSum = new Float64Array(r);
  const colSum = new Float64Array(c);
  let total = 0;
  for (let i = 0; i < r; i++) {
    if (table[i].length !== c)
      throw new StatsInputError(`chiSquareTest: row ${i} has ${table[i].length} cells, expected ${c}`);
    for (let j = 0; j < c; j++) {
      const v = table[i][j];
      if (!(Number.isFinite(v) && v >= 0))
        throw new StatsInputError(`chiSquareTest: cell [${i}][${j}] must be a count ≥ 0, got ${v}`);
      rowSum[i] += v;
      colSum[j] += v;
      total += v;
    }
  }
  for (let i = 0; i < r; i++)
    if (rowSum[i] === 0) throw new StatsInputError(`chiSquareTest: row ${i} is all zero`);
  for (let j = 0; j < c; j++)
    if (colSum[j] === 0) throw new StatsInputError(`chiSquareTest: column ${j} is all zero`);
  const expected = Array.from({ length: r }, (_, i) =>
    Array.from({ length: c }, (_, j) => (rowSum[i] * colSum[j]) / total)
  );
  const yates = correct && r === 2 && c === 2;
  let yc = 0;
  if (yates) {
    yc = 0.5;
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) yc = Math.min(yc, Math.abs(table[i][j] - expected[i][j]));
  }
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const dev = Math.abs(table[i][j] - expected[i][j]) - yc;
      statistic += (dev * dev) / expected[i][j];
    }
  }
  const df = (r - 1) * (c - 1);
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), expected, yates };
}
