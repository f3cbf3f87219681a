/** Reads a small committed CSV fixture (header row, comma-separated, no quoting). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function readCsv(name: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(join(here, name), 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
  });
}

/** One column of the rows as numbers. */
export function column(rows: Record<string, string>[], name: string): Float64Array {
  return Float64Array.from(rows, (r) => Number(r[name]));
}
