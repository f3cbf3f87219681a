import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteModel, listModels, saveModel } from '../../src/lib/db/model-store';
import { NodeConnector } from '../../src/lib/db/node-connector';

describe('model store', () => {
  let db: NodeConnector;
  beforeAll(async () => {
    db = await NodeConnector.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('lists nothing before a model is saved', async () => {
    expect(await listModels(db)).toEqual([]);
  });

  it('keeps texts as written (quotes, backslashes, newlines), replaces by name, deletes by name', async () => {
    const text = `model it's\ntitle "a \\"quoted\\" title"\n# ${'x'.repeat(5000)}\n`;
    await saveModel(db, 'b_model', text);
    await saveModel(db, "a'model", 'model a\n');
    let list = await listModels(db);
    expect(list.map((m) => m.name)).toEqual(["a'model", 'b_model']);
    expect(list[1].text).toBe(text);
    expect(list[1].savedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d/);

    await saveModel(db, 'b_model', 'model b_model\n');
    list = await listModels(db);
    expect(list).toHaveLength(2);
    expect(list[1].text).toBe('model b_model\n');

    await deleteModel(db, "a'model");
    expect((await listModels(db)).map((m) => m.name)).toEqual(['b_model']);
  });
});
