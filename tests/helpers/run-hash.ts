import { scalar, type Connector } from '../../src/lib/db/connector';

/**
 * Hash of the ordered rows of every result table of a run: equal hashes mean the same
 * rows to the bit (determinism across worker counts and chunk sizes).
 */
export async function runHash(db: Connector, runId: number): Promise<string> {
  const parts: string[] = [];
  for (const [table, order] of [
    ['assignment', 'replicate, twin_id'],
    ['observation', 'replicate, twin_id, arm, variable, time_h'],
    ['event', 'replicate, twin_id, arm, kind, time_h'],
    ['endpoint', 'replicate, twin_id, arm, endpoint']
  ]) {
    const h = await scalar<string>(
      db,
      // Each row as the text of its struct (every column but run_id); doubles print exactly.
      `SELECT md5(string_agg(r::VARCHAR, '|' ORDER BY ${order}, r::VARCHAR)) FROM (SELECT * EXCLUDE (run_id) FROM ${table} WHERE run_id = ${runId}) r`
    );
    parts.push(`${table}:${h}`);
  }
  return parts.join(' ');
}
