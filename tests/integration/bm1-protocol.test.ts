import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readProtocolFile } from '../../src/cli/protocol-file';
import { compileProtocol, predictionTwin, predictTwin } from '../../src/lib/engine/trial';

/**
 * BM1 through the user's path: protocols/bm1.yaml, its cohort of imported individual
 * parameters (cohorts/bm1.yaml, made by cohorts/bm1/make-twins.ts), compiled and
 * simulated as a trial would be; compared with deSolve's high-precision reference
 * (tests/golden/models/bm1_reference.csv, rtol 1e-12) for twins 1, 2, 3, 500 and 1000.
 */
describe('BM1 protocol', () => {
  it('reproduces the deSolve reference profiles within the benchmark tolerance', async () => {
    const protocol = await readProtocolFile('protocols/bm1.yaml');
    const plan = compileProtocol(protocol);
    expect(plan.times.length).toBe(673);
    const reference = readFileSync('tests/golden/models/bm1_reference.csv', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const out = new Float64Array(2 * 673);
    let worst = 0;
    for (const id of [1, 2, 3, 500, 1000]) {
      predictTwin(plan, predictionTwin(plan, id), 0, plan.times, out);
      for (const [twinId, t, c, r] of reference.filter((row) => row[0] === id)) {
        const k = plan.times.indexOf(t);
        if (c > 0) worst = Math.max(worst, Math.abs(out[k] - c) / c);
        worst = Math.max(worst, Math.abs(out[673 + k] - r) / r);
        expect(twinId).toBe(id);
      }
    }
    // rtol 1e-6 per step accumulates over 28 dosing intervals; the bench prints the figure.
    expect(worst).toBeLessThan(1e-4);
  });
});
