// A simulated trial's repeated measures, laid out long: one row per twin and post-baseline visit,
// the observed values (NaN after dropout), the observed baseline, the assigned arm.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { replicateRepeatedMeasures, visitLabel } from '../../../src/lib/analysis/replicate-repeated-measures';
import { compileProtocol, simulateTrialChunk } from '../../../src/lib/engine/trial';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { resolveRunProtocol } from '../../../src/lib/runner/run-trial';

const protocol = loadProtocol(
  stringify({
    name: 'repeated',
    seed: 3,
    cohort: {
      spec: {
        name: 'plain',
        covariates: [{ name: 'y0', type: 'continuous', distribution: { kind: 'normal', mean: 10, sd: 2 } }]
      }
    },
    model: {
      model: 'pk1cmt_iv+emax',
      parameters: { CL: 1, V: 10, EMAX: 3, EC50: 1e-9 },
      residualError: { E: { type: 'additive', additive: 1 } }
    },
    individual: { E0: 'y0' },
    arms: [
      { name: 'placebo', placebo: true },
      { name: 'active', regimen: { dose: 100, interval: '24h', duration: '3w' } }
    ],
    schedule: { duration: '3w', visits: [0, '1w', '2w', '3w'] },
    endpoints: [
      { name: 'y', type: 'continuous', variable: 'E', visit: '2w', measure: 'change', primary: true }
    ],
    dropout: { rate: 0.5, per: '3w' }
  }),
  'repeated.yaml',
  () => {
    throw new Error('inline cohort');
  }
);

describe('replicateRepeatedMeasures', () => {
  it('lays the observed visits out long up to the endpoint visit, NaN after follow-up ends', () => {
    const plan = compileProtocol(resolveRunProtocol({ protocol, n: 40 }));
    const chunk = simulateTrialChunk(plan, 0, 1, 40);
    const { input, visits, at } = replicateRepeatedMeasures(chunk, plan, 0);
    expect(visits).toEqual(['1w', '2w']);
    expect(at).toBe('2w');
    expect(input.outcome.length).toBe(40 * 2);
    const o = chunk.observation;
    const E = plan.endpoints[0].output;
    const observedAt = (twin: number, hours: number) =>
      Array.from(o.twin.keys()).find((k) => o.twin[k] === twin && o.time[k] === hours && o.variable[k] === E);
    let missing = 0;
    for (let r = 0; r < input.outcome.length; r++) {
      const twin = input.subject[r] as number;
      const hours = input.visit[r] === '1w' ? 168 : 336;
      const i = observedAt(twin, hours);
      const b = observedAt(twin, 0)!;
      expect(input.baseline![r]).toBe(o.value[b]);
      expect(input.arm[r]).toBe(plan.arms[o.arm[b]].name);
      // the observed value (the change from baseline is the same effect with the baseline as covariate)
      if (i === undefined) {
        expect(input.outcome[r]).toBeNaN();
        missing++;
      } else expect(input.outcome[r]).toBe(o.value[i]);
    }
    expect(missing).toBeGreaterThan(0);
  });

  it('names visits as a protocol writes them', () => {
    expect([visitLabel(336), visitLabel(48), visitLabel(6)]).toEqual(['2w', '2d', '6h']);
  });
});
