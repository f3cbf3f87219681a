/**
 * Calibration speed: 1,000 simulated patients with 6 observations each on a 2-compartment
 * oral model (pk2cmt_oral_calibrate.model: models/pk2cmt_oral.model with variability on CL,
 * V1 and KA and a combined residual error), read from CSV and fitted (MAP + Laplace) into an
 * in-memory database on 2 worker threads (change with an argument), then again with the SIR
 * cross-check. Prints patients/s and the time per fit (worker time: seconds × workers / n).
 * The workers are started and warmed up on a few patients first. Issue #12 asks for at
 * least 200 patients/s without SIR.
 *
 * Run: npm run bench -- calibrate [workers] [patients]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeConnector } from '../../src/lib/db/node-connector';
import { parseModelSpec } from '../../src/lib/engine/models/spec';
import { readPatientData } from '../../src/lib/io/patient-data';
import { runCalibration } from '../../src/lib/runner/calibrate';
import { nodeWorkerPool } from '../../src/lib/runner/node-workers';
import { simulatePatientData } from './calibrateSetup';

const workers = Number(process.argv[2] ?? 2);
const n = Number(process.argv[3] ?? 1000);
const file = new URL('./pk2cmt_oral_calibrate.model', import.meta.url).pathname;
const { model, spec } = parseModelSpec({ model: { file, text: readFileSync(file, 'utf8') } });

const dir = mkdtempSync(join(tmpdir(), 'twinbench-bench-calibrate-'));
const data = join(dir, 'patients.csv');
writeFileSync(data, simulatePatientData(spec, { n, seed: 2026 }).csv);
const db = await NodeConnector.open();
const pool = nodeWorkerPool(workers);
try {
  let t0 = performance.now();
  const records = await readPatientData(db, data, model);
  const readSeconds = (performance.now() - t0) / 1000;
  const observations = records.reduce((s, r) => s + r.observations.time.length, 0);
  console.log(
    `${n.toLocaleString('en-US')} patients, ${observations.toLocaleString('en-US')} observations read from CSV in ${readSeconds.toFixed(2)} s`
  );
  const fit = (name: string, sir: boolean, patients = records) =>
    runCalibration({ db, pool, name, modelSpec: spec, records: patients, options: { sir } });
  await fit('warm-up', true, records.slice(0, 10 * workers));
  for (const sir of [false, true]) {
    t0 = performance.now();
    await fit(sir ? 'with SIR' : 'MAP + Laplace', sir);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${sir ? 'MAP + Laplace + SIR (1,000 draws)' : 'MAP + Laplace'} on ${workers} worker(s): ${seconds.toFixed(2)} s, ` +
        `${Math.round(n / seconds).toLocaleString('en-US')} patients/s, ` +
        `${((1000 * seconds * Math.max(1, workers)) / n).toFixed(2)} ms per fit`
    );
  }
} finally {
  pool.terminate();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
