import { rowsOf, scalar, sqlString, type Connector } from './connector';

/**
 * The user's model texts, kept with the workspace (in the browser: the OPFS database,
 * beside the cohorts and runs). One row per model name: saving a text under a name it
 * already has replaces it. The text is stored as written, problems and all.
 */
export const MODEL_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS model (
  name VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  saved_at TIMESTAMP NOT NULL
);
`;

export interface SavedModel {
  name: string;
  text: string;
  savedAt: string;
}

export async function saveModel(db: Connector, name: string, text: string): Promise<void> {
  await db.exec(MODEL_SCHEMA_SQL);
  // No key constraint (an index) on name: one transaction replaces the row instead.
  await db.exec(
    `BEGIN TRANSACTION; DELETE FROM model WHERE name = ${sqlString(name)}; ` +
      `INSERT INTO model (name, text, saved_at) VALUES (${sqlString(name)}, ${sqlString(text)}, current_timestamp); COMMIT`
  );
}

/**
 * The saved models, by name. Reading writes nothing (the table is made by the first
 * save): in the browser a write left in the write-ahead log by a page that is closed
 * at once can leave the next page unable to write to the database file.
 */
export async function listModels(db: Connector): Promise<SavedModel[]> {
  const exists = await scalar<number>(
    db,
    `SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'model'`
  );
  if (!exists) return [];
  const rows = rowsOf<{ name: string; text: string; saved_at: string }>(
    await db.query(`SELECT name, text, CAST(saved_at AS VARCHAR) AS saved_at FROM model ORDER BY name`)
  );
  return rows.map((r) => ({ name: r.name, text: r.text, savedAt: r.saved_at }));
}

export async function deleteModel(db: Connector, name: string): Promise<void> {
  await db.exec(MODEL_SCHEMA_SQL);
  await db.exec(`DELETE FROM model WHERE name = ${sqlString(name)}`);
}
