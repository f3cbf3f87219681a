/**
 * A run exported as a NONMEM dataset and read back by the project's own NONMEM reader
 * (readPatientData, the conventions of docs/calibration.md) gives each twin's doses and
 * observations as the run stored and the engine defines them: the engine's nominal doses
 * (predictionTwin + predictionDoses) less the missed ones and those from discontinuation
 * or dropout on, and the stored observations of the twin's observed arm, BLQ by M3.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonmemDataset, runNonmemDataset } from '../../src/lib/analysis/nonmem-dataset';
import { storedRun } from '../../src/lib/analysis/run-plan';
import { rowsOf, type Connector } from '../../src/lib/db/connector';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { predictionDoses, predictionTwin } from '../../src/lib/engine/trial';
import { readPatientData } from '../../src/lib/io/patient-data';
import { loadProtocol } from '../../src/lib/load/load-protocol';
import { exportFiles } from '../../src/lib/node/export-files';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { runTrial } from '../../src/lib/runner/run-trial';

import { LLOQ, N, NONMEM_TEST_PROTOCOL } from './nonmem-test-protocol';

const COHORT = readFileSync('cohorts/adults-nhanes.yaml', 'utf8');

describe('NONMEM dataset of a run', () => {
  let db: Connector;
  let runId: number;
  const dir = mkdtempSync(join(tmpdir(), 'nonmem-'));

  beforeAll(async () => {
    db = await NodeConnector.open();
    const protocol = loadProtocol(stringify(NONMEM_TEST_PROTOCOL), 'trial.yaml', () => ({
      text: COHORT,
      file: 'adults-nhanes.yaml'
    }));
    ({ runId } = await runTrial({ db, pool: nodeWorkerPool(0), protocol }));
  });

  it('reads back through readPatientData as the same doses and observations', async () => {
    const path = join(dir, 'run.csv');
    const { relation } = await nonmemDataset(db, runId);
    await exportFiles(db, [{ relation, path }]);
    const run = await storedRun(db, runId);
    const records = await readPatientData(db, path, run.plan.model);
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => String(i + 1)));

    const assigned = rowsOf<{ twin_id: number; arm: number }>(
      await db.query(`SELECT twin_id, arm FROM assignment_data WHERE run_id = ${runId} AND replicate = 0`)
    );
    const events = rowsOf<{ twin_id: number; kind: string; time_h: number }>(
      await db.query(`SELECT twin_id, kind, time_h FROM event WHERE run_id = ${runId} AND replicate = 0`)
    );
    let missed = 0;
    let blq = 0;
    let stopped = 0;
    for (const record of records) {
      const id = Number(record.id);
      const arm = assigned.find((a) => a.twin_id === id)!.arm;
      const mine = events.filter((e) => e.twin_id === id);
      const missedTimes = mine.filter((e) => e.kind === 'missed_dose').map((e) => e.time_h);
      const stop = Math.min(
        Infinity,
        ...mine.filter((e) => e.kind === 'discontinuation' || e.kind === 'dropout').map((e) => e.time_h)
      );
      // The engine's nominal doses, independently of the export's SQL.
      const expected = predictionDoses(run.plan, predictionTwin(run.plan, id), arm).filter(
        (d) => !missedTimes.includes(d.time) && d.time < stop
      );
      missed += missedTimes.length;
      if (stop < Infinity && arm === 1) stopped++;
      expect(record.doses.map((d) => [d.time, d.amount, d.target, d.duration])).toEqual(
        expected.map((d) => [d.time, d.amount, d.target, d.duration])
      );

      const obs = rowsOf<{ time_h: number; variable: number; value: number }>(
        await db.query(
          `SELECT time_h, variable, value FROM observation_data WHERE run_id = ${runId} AND replicate = 0 ` +
            `AND twin_id = ${id} AND arm = ${arm} ORDER BY time_h, variable`
        )
      );
      const o = record.observations;
      expect(o.time.length).toBe(obs.length);
      obs.forEach((row, k) => {
        expect(o.time[k]).toBe(row.time_h);
        expect(o.output[k]).toBe(row.variable);
        const below = row.variable === 0 && row.value < LLOQ;
        if (below) blq++;
        expect(o.blq[k]).toBe(below ? 1 : 0);
        expect(o.value[k]).toBe(below ? LLOQ : row.value);
      });
    }
    // The run exercises what the export must handle.
    expect(missed).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(0);
    expect(blq).toBeGreaterThan(0);
  });

  it('has the documented columns, one ARM per twin, and observations before doses at a time', async () => {
    const { table, compartments } = await runNonmemDataset(db, runId);
    const names = table.schema.fields.map((f) => f.name);
    expect(names.slice(0, 13)).toEqual([
      'ID',
      'TIME',
      'AMT',
      'DV',
      'EVID',
      'MDV',
      'CMT',
      'RATE',
      'SS',
      'II',
      'BLQ',
      'LLOQ',
      'ARM'
    ]);
    expect(names).toContain('weight');
    expect(compartments).toEqual([
      { cmt: 1, kind: 'dose', name: 'central' },
      { cmt: 1, kind: 'observation', name: 'C' },
      { cmt: 2, kind: 'observation', name: 'E' }
    ]);
    const rows = rowsOf<{ ID: number; TIME: number; EVID: number; AMT: number; RATE: number; MDV: number }>(
      table
    );
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      const order = a.ID - b.ID || a.TIME - b.TIME || a.EVID - b.EVID;
      expect(order).toBeLessThanOrEqual(0);
    }
    for (const r of rows.filter((r) => r.EVID === 1)) {
      expect(r.MDV).toBe(1);
      expect(r.RATE).toBeCloseTo(r.AMT / 1, 12); // a 1 h infusion
      expect(r.AMT % 5).toBe(0); // rounded to the 5 mg strength
    }
  });

  it('names a replicate that is out of range', async () => {
    await expect(nonmemDataset(db, runId, { replicate: 3 })).rejects.toThrow(
      'replicate must be a whole number from 0 to 0 (got 3)'
    );
    await expect(nonmemDataset(db, 999)).rejects.toThrow('there is no run 999');
  });
});
