import { rowsOf, sqlString, type Connector } from './connector';

/**
 * The user's model texts, kept with the workspace (in the browser: the OPFS database,
 * beside the cohorts and runs). One row per model name: saving a text under a name it
 * already has replaces it. The text is stored as written, problems and all.
 */
export const MODEL_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS model (
  name VARCHAR NOT NULL PRIMARY KEY,
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
  await db.exec(
    `INSERT OR REPLACE INTO model (name, text, saved_at) VALUES (${sqlString(name)}, ${sqlString(text)}, current_timestamp)`
  );
}

export async function listModels(db: Connector): Promise<SavedModel[]> {
  await db.exec(MODEL_SCHEMA_SQL);
  const rows = rowsOf<{ name: string; text: string; saved_at: string }>(
    await db.query(`SELECT name, text, CAST(saved_at AS VARCHAR) AS saved_at FROM model ORDER BY name`)
  );
  return rows.map((r) => ({ name: r.name, text: r.text, savedAt: r.saved_at }));
}

export async function deleteModel(db: Connector, name: string): Promise<void> {
  await db.exec(MODEL_SCHEMA_SQL);
  await db.exec(`DELETE FROM model WHERE name = ${sqlString(name)}`);
}
