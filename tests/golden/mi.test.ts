// Rubin's rules, legacy single imputation and the per-visit ANCOVA against R
// (tests/golden/mi/mi-reference.R: mice::pool / pool.scalar, lm on LOCF, BOCF and completers).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rubinsRules } from '../../src/lib/stats/rubinsRules';
import { repeatedMeasures } from '../../src/lib/stats/repeatedMeasures';
import { singleImputation, type SingleImputationMethod } from '../../src/lib/stats/singleImputation';
import { ancovaAtVisit } from '../../src/lib/stats/ancovaAtVisit';
import { expectClose, loadGolden } from '../unit/stats/golden';

const REL = 1e-10;

describe("Rubin's rules agree with mice::pool", () => {
  const cases = loadGolden('rubins-rules', 'mi');
  for (const c of cases) {
    it(c.name, () => {
      const r = rubinsRules(c.estimates, c.variances, { dfComplete: c.dfComplete ?? undefined });
      const e = c.expected;
      expect(r.m).toBe(e.m);
      expect(r.dfComplete).toBe(c.dfComplete);
      const keys = [
        'estimate',
        'withinVariance',
        'betweenVariance',
        'totalVariance',
        'df',
        'riv',
        'lambda',
        'fmi',
        'stdErr',
        'statistic',
        'pValue',
        'ciLow',
        'ciHigh'
      ] as const;
      for (const k of keys) expectClose(r[k], e[k], REL, 1e-15, `${c.name} ${k}`);
    });
  }
});

function readData() {
  const path = fileURLToPath(new URL('./mi/data.csv', import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const cols = {
    subject: [] as string[],
    arm: [] as string[],
    visit: [] as string[],
    baseline: [] as number[],
    outcome: [] as number[]
  };
  for (const line of lines) {
    const [id, arm, visit, baseline, y] = line.split(',').map((x) => x.replace(/"/g, ''));
    cols.subject.push(id);
    cols.arm.push(arm);
    cols.visit.push(visit);
    cols.baseline.push(Number(baseline));
    cols.outcome.push(y === '' ? NaN : Number(y));
  }
  return cols;
}

describe('single imputation and the visit ANCOVA agree with R lm', () => {
  const cols = readData();
  const analyses = loadGolden('single-imputation', 'mi');
  for (const g of analyses) {
    it(`${g.name} at visit ${g.visit}${g.baseline ? '' : ' without baseline'}`, () => {
      const input = g.baseline ? cols : { ...cols, baseline: undefined };
      const data = repeatedMeasures(input, { control: 'placebo', armLevels: ['placebo', 'low', 'high'] });
      const y = singleImputation(data, g.name as SingleImputationMethod);
      const r = ancovaAtVisit(data, y, data.visits.indexOf(g.visit));
      expect(r.n).toBe(g.n);
      expect(r.df).toBe(g.df);
      expectClose(r.residualSd, g.residualSd, REL, 0, 'sigma');
      expect(r.effects.map((e) => e.arm)).toEqual(g.effects.map((e: { arm: string }) => e.arm));
      r.effects.forEach((e, i) => {
        for (const k of ['estimate', 'stdErr', 'statistic', 'pValue', 'ciLow', 'ciHigh'] as const)
          expectClose(e[k], g.effects[i][k], 1e-9, 1e-15, `${g.name} ${e.arm} ${k}`);
      });
    });
  }
});
