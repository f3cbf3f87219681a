// The Protocols page preview (twin 1 under every arm): data for the dosing timeline and
// the profile plots, for every shipped protocol.
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProtocolFile } from '../../../src/cli/protocol-file';
import { generateCohortChunk } from '../../../src/lib/engine/cohort';
import {
  compileProtocol,
  regimenDoses,
  replicateSeed,
  type ResolvedProtocol
} from '../../../src/lib/engine/trial';
import { protocolPreview } from '../../../src/routes/protocols/preview';

const dir = new URL('../../../protocols/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe.each(files)('protocolPreview(%s)', (file) => {
  let protocol: ResolvedProtocol;
  beforeAll(async () => {
    protocol = await readProtocolFile(dir + file);
  });

  it('gives every arm its doses and every output a finite profile over the whole study', () => {
    const p = protocolPreview(protocol);
    expect(p.arms).toEqual(protocol.arms.map((a) => a.name));
    expect(p.duration).toBe(protocol.schedule.duration);
    for (const arm of protocol.arms) {
      const doses = p.doses.filter((d) => d.arm === arm.name);
      if (arm.placebo || !arm.regimen) expect(doses).toEqual([]);
      else expect(doses.length).toBeGreaterThan(0);
      for (const o of p.outputs) {
        const series = p.profile.filter((d) => d.arm === arm.name && d.output === o.name);
        expect(series.length).toBeGreaterThanOrEqual(200);
        expect(series[0].time).toBe(0);
        expect(series.at(-1)!.time).toBeCloseTo(p.duration, 9);
      }
    }
  });

  it("uses twin 1's doses, as a run with the protocol's seed does", () => {
    const plan = compileProtocol(protocol);
    const twin = generateCohortChunk(plan.cohort, replicateSeed(protocol.seed, 0), 1, 1);
    const w = plan.weightSlot >= 0 ? twin.columns[plan.weightSlot][0] : NaN;
    const bsa = plan.bsaSlot >= 0 ? twin.columns[plan.bsaSlot][0] : NaN;
    const p = protocolPreview(protocol);
    plan.arms.forEach((arm) => {
      const expected = regimenDoses(arm, protocol.schedule.duration, w, bsa);
      expect(p.doses.filter((d) => d.arm === arm.name).map((d) => [d.time, d.amount])).toEqual(
        expected.map((d) => [d.time, d.amount])
      );
    });
  });
});
