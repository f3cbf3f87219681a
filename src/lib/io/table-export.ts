import type { Table } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import Papa from 'papaparse';

/**
 * Export of query results in the browser, where DuckDB's COPY TO cannot write Parquet
 * (duckdb-wasm has no Parquet writer built in): CSV through papaparse, Parquet through
 * hyparquet-writer. Numbers stay doubles, text stays text.
 */
function columnsOf(table: Table) {
  return table.schema.fields.map((field, i) => {
    const vector = table.getChildAt(i)!;
    const values: unknown[] = new Array(table.numRows);
    for (let r = 0; r < table.numRows; r++) {
      const v = vector.get(r) as unknown;
      values[r] = typeof v === 'bigint' ? Number(v) : v;
    }
    const numeric = values.every((v) => v === null || typeof v === 'number');
    return { name: field.name, values, numeric };
  });
}

export function tableToCsv(table: Table): string {
  const cols = columnsOf(table);
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(cols.map((c) => c.values[r]));
  return Papa.unparse({ fields: cols.map((c) => c.name), data: rows }, { newline: '\n' }) + '\n';
}

export function tableToParquet(table: Table): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: columnsOf(table).map((c) => ({
      name: c.name,
      // A typed array has no NULL (it would be written as 0): a column with NULLs goes as an array.
      data: c.numeric
        ? c.values.includes(null)
          ? (c.values as (number | null)[])
          : Float64Array.from(c.values as number[])
        : (c.values as string[]),
      type: c.numeric ? 'DOUBLE' : 'STRING'
    }))
  });
}
