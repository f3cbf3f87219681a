/**
 * A power study takes its estimands' true values from the first `truthTwins` twins of each
 * replicate: those twins' true values are the ones a whole-truth chunk gives them, and the
 * trial's own records do not move, whatever the sample (none, some or all).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProtocol, simulateTrialChunk, type TrialChunk } from '../../../src/lib/engine/trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';

const path = new URL('../../../protocols/type2-diabetes-estimands.yaml', import.meta.url).pathname;
const plan = compileProtocol(
  loadProtocol(readFileSync(path, 'utf8'), path, (file) => {
    const at = resolve(dirname(path), file);
    return { text: readFileSync(at, 'utf8'), file: at };
  })
);
const K = plan.estimands.length * plan.arms.length;
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** Everything the chunk records but the truth. */
const records = (c: TrialChunk) => {
  const { truth: _truth, ...rest } = c;
  return JSON.stringify(rest, (_, v) => (ArrayBuffer.isView(v) ? bytes(v).toString('base64') : v));
};

describe('the true values from a sample of the twins', () => {
  const all = simulateTrialChunk(plan, 3, 1, 30);

  it('are the whole truth of the twins in the sample, by id', () => {
    const some = simulateTrialChunk(plan, 3, 1, 30, undefined, undefined, 12);
    expect(all.truth.length).toBe(30 * K);
    expect(some.truth.length).toBe(12 * K);
    expect(bytes(some.truth).equals(bytes(all.truth.subarray(0, 12 * K)))).toBe(true);
    // a chunk that starts at twin 11 holds the sample's last two
    const later = simulateTrialChunk(plan, 3, 11, 20, undefined, undefined, 12);
    expect(later.truth.length).toBe(2 * K);
    expect(bytes(later.truth).equals(bytes(all.truth.subarray(10 * K, 12 * K)))).toBe(true);
  });

  it("leave the trial's records as they are, with no twin, some or all", () => {
    for (const truthTwins of [0, 12, 1000]) {
      const c = simulateTrialChunk(plan, 3, 1, 30, undefined, undefined, truthTwins);
      expect(records(c)).toBe(records(all));
    }
  });
});
