import { rowsOf, scalar, sqlString, type Connector } from './connector';

/**
 * Protocols and cohort specs edited in the browser, kept with the workspace beside the
 * saved models (model-store.ts). One row per (kind, name): saving under a name that
 * kind already has replaces it. The YAML is stored as written, problems and all, so
 * an unfinished edit is not lost.
 */
export const SPEC_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS spec (
  kind VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  saved_at TIMESTAMP NOT NULL
);
`;

/** What a saved spec is: a trial protocol or a cohort spec. */
export const SPEC_KINDS = ['protocol', 'cohort'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

export interface SavedSpec {
  kind: SpecKind;
  name: string;
  text: string;
  savedAt: string;
}

/** A name a spec can be saved under: not blank (it is shown, and chosen, in a list). */
function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A saved spec needs a name: the name is blank.');
  return trimmed;
}

function checkedKind(kind: string): SpecKind {
  if (!(SPEC_KINDS as readonly string[]).includes(kind))
    throw new Error(`Unknown spec kind '${kind}': allowed are ${SPEC_KINDS.join(', ')}.`);
  return kind as SpecKind;
}

const where = (kind: SpecKind, name: string) => `kind = ${sqlString(kind)} AND name = ${sqlString(name)}`;

/** Saves (or replaces) the text of a spec under its kind and name, stamped with the time. */
export async function saveSpec(db: Connector, kind: SpecKind, name: string, text: string): Promise<void> {
  const k = checkedKind(kind);
  const n = checkedName(name);
  await db.exec(SPEC_SCHEMA_SQL);
  // No key constraint (an index) on (kind, name): one transaction replaces the row instead.
  await db.exec(
    `BEGIN TRANSACTION; DELETE FROM spec WHERE ${where(k, n)}; ` +
      `INSERT INTO spec (kind, name, text, saved_at) VALUES (${sqlString(k)}, ${sqlString(n)}, ${sqlString(text)}, current_timestamp); COMMIT`
  );
}

/**
 * The saved specs of a kind, by name. Reading writes nothing (the table is made by the
 * first save), for the reason given in model-store's listModels.
 */
export async function listSpecs(db: Connector, kind: SpecKind): Promise<SavedSpec[]> {
  const k = checkedKind(kind);
  const exists = await scalar<number>(
    db,
    `SELECT count(*)::INTEGER FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'spec'`
  );
  if (!exists) return [];
  const rows = rowsOf<{ name: string; text: string; saved_at: string }>(
    await db.query(
      `SELECT name, text, strftime(saved_at, '%Y-%m-%d %H:%M:%S') AS saved_at FROM spec ` +
        `WHERE kind = ${sqlString(k)} ORDER BY name`
    )
  );
  return rows.map((r) => ({ kind: k, name: r.name, text: r.text, savedAt: r.saved_at }));
}

/**
 * Renames a saved spec. Refused when the new name is taken by another spec of the same
 * kind (renaming must not silently replace a saved text).
 */
export async function renameSpec(db: Connector, kind: SpecKind, from: string, to: string): Promise<void> {
  const k = checkedKind(kind);
  const target = checkedName(to);
  if (target === from) return;
  const saved = await listSpecs(db, k);
  if (!saved.some((s) => s.name === from)) throw new Error(`No saved ${k} is named '${from}'.`);
  if (saved.some((s) => s.name === target))
    throw new Error(`A saved ${k} is already named '${target}': choose another name or delete it first.`);
  await db.exec(`UPDATE spec SET name = ${sqlString(target)} WHERE ${where(k, from)}`);
}

export async function deleteSpec(db: Connector, kind: SpecKind, name: string): Promise<void> {
  const k = checkedKind(kind);
  await db.exec(SPEC_SCHEMA_SQL);
  await db.exec(`DELETE FROM spec WHERE ${where(k, name)}`);
}
