import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSpec, listSpecs, renameSpec, saveSpec, type SpecKind } from '../../src/lib/db/spec-store';
import { NodeConnector } from '../../src/lib/db/node-connector';

describe('spec store', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('lists nothing before a spec is saved, and creates no table by reading', async () => {
    expect(await listSpecs(db, 'protocol')).toEqual([]);
    const tables = await db.query(
      `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'spec'`
    );
    expect(tables.getChild('n')?.get(0)).toBe(0);
  });

  it('keeps YAML as written, separates kinds, replaces by (kind, name), renames and deletes', async () => {
    const text = `name: it's "quoted"\n# ${'x'.repeat(5000)}\narms: [\n`;
    await saveSpec(db, 'protocol', 'b trial', text);
    await saveSpec(db, 'protocol', "a'trial", 'seed: 1\n');
    await saveSpec(db, 'cohort', 'b trial', 'n: 10\n');
    let list = await listSpecs(db, 'protocol');
    expect(list.map((s) => s.name)).toEqual(["a'trial", 'b trial']);
    expect(list[1].text).toBe(text);
    expect(list[1].savedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await listSpecs(db, 'cohort')).map((s) => s.text)).toEqual(['n: 10\n']);

    await saveSpec(db, 'protocol', 'b trial', 'seed: 2\n');
    list = await listSpecs(db, 'protocol');
    expect(list.map((s) => s.text)).toEqual(['seed: 1\n', 'seed: 2\n']);

    await renameSpec(db, 'protocol', 'b trial', 'c trial');
    expect((await listSpecs(db, 'protocol')).map((s) => s.name)).toEqual(["a'trial", 'c trial']);
    // The cohort of the old name is untouched.
    expect((await listSpecs(db, 'cohort')).map((s) => s.name)).toEqual(['b trial']);

    await deleteSpec(db, 'protocol', "a'trial");
    expect((await listSpecs(db, 'protocol')).map((s) => s.name)).toEqual(['c trial']);
  });

  it('refuses a blank name, a rename onto a taken name, a missing spec and an unknown kind', async () => {
    await expect(saveSpec(db, 'cohort', '  ', 'n: 1\n')).rejects.toThrow('the name is blank');
    await saveSpec(db, 'cohort', 'taken', 'n: 1\n');
    await expect(renameSpec(db, 'cohort', 'b trial', 'taken')).rejects.toThrow(
      "A saved cohort is already named 'taken'"
    );
    await expect(renameSpec(db, 'cohort', 'nope', 'other')).rejects.toThrow(
      "No saved cohort is named 'nope'"
    );
    await expect(listSpecs(db, 'model' as SpecKind)).rejects.toThrow(
      "Unknown spec kind 'model': allowed are protocol, cohort"
    );
  });
});
