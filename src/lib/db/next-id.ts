import { scalar, type Connector } from './connector';

/** The kinds of record a workspace numbers, with the table and column of their ids. */
const KINDS = {
  cohort: ['cohort', 'cohort_id'],
  run: ['run', 'run_id'],
  power: ['power', 'power_id'],
  calibration: ['calibration', 'calibration_id']
} as const;

/**
 * The next id of a kind of record: one more than any id of that kind this workspace has
 * given, so an id is never given again after its record is deleted, and an old address
 * (`?study=3`, `?run=3`) never opens another record. The last id given is kept in
 * `id_counter` (a workspace file carries it, as every table); a workspace from before it
 * starts from the table's largest id. The caller's transaction, if any, covers it.
 */
export async function nextId(db: Connector, kind: keyof typeof KINDS): Promise<number> {
  const [table, column] = KINDS[kind];
  await db.exec(`CREATE TABLE IF NOT EXISTS id_counter (kind VARCHAR PRIMARY KEY, last_id BIGINT NOT NULL)`);
  const last = await scalar<number | bigint | null>(
    db,
    `SELECT greatest(coalesce((SELECT max(${column}) FROM ${table}), 0), ` +
      `coalesce((SELECT last_id FROM id_counter WHERE kind = '${kind}'), 0))`
  );
  const id = Number(last ?? 0) + 1;
  await db.exec(`INSERT OR REPLACE INTO id_counter VALUES ('${kind}', ${id})`);
  return id;
}
