import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCohortSpec } from '../../../src/lib/load/load-cohort';
import {
  compileCohort,
  DERIVED_FORMULAS,
  estimateAcceptance,
  generateCohortChunk,
  type CohortChunk,
  type CohortPlan
} from '../../../src/lib/engine/cohort';
import type { CohortSpec } from '../../../src/lib/spec/cohort-schema';

/**
 * The shipped cohort files load, compile, generate, and say what their sources say:
 * the enrolled twins meet the criteria, and the key baseline numbers land near the
 * published baseline tables cited in each file.
 */
const DIR = new URL('../../../cohorts/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, DIR), 'utf8');

function load(file: string) {
  const spec = loadCohortSpec(read(file), file);
  const plan = compileCohort(spec);
  return { spec, plan };
}

function generate(plan: CohortPlan, spec: CohortSpec, n: number) {
  const chunk = generateCohortChunk(plan, spec.seed, 1, n);
  const col = (name: string) => {
    const k = plan.columns.findIndex((c) => c.name === name);
    if (k < 0) throw new Error(`no column ${name}`);
    return chunk.columns[k];
  };
  const code = (name: string, level: string) =>
    plan.columns.find((c) => c.name === name)!.levels!.indexOf(level);
  return { chunk, col, code };
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}
const count = (x: Float64Array, f: (v: number, i: number) => boolean) => x.filter(f).length;

describe('every shipped cohort file', () => {
  // Cohorts that import their twins (bm1.yaml) are checked through their protocol.
  const files = readdirSync(DIR).filter(
    (f) => f.endsWith('.yaml') && !/^import:/m.test(readFileSync(new URL(f, DIR), 'utf8'))
  );

  it('includes the required cohorts', () => {
    for (const f of [
      'adults-nhanes.yaml',
      'hypertensive-adults.yaml',
      'type2-diabetes.yaml',
      'ckd-stages.yaml',
      'pediatric.yaml',
      'bench-1m.yaml'
    ])
      expect(files).toContain(f);
  });

  for (const file of files) {
    it(`${file} loads, cites a source, and generates twins meeting its criteria`, () => {
      const { spec, plan } = load(file);
      expect(spec.source?.length ?? 0).toBeGreaterThan(40);
      const pilot = estimateAcceptance(plan, spec.seed, 2000);
      expect(pilot.rate).toBeGreaterThan(0.3);
      const { chunk } = generate(plan, spec, 2000);
      expect(chunk.count).toBe(2000);
      const v = new Float64Array(plan.columns.length);
      let failing = 0;
      let nonFinite = 0;
      for (let i = 0; i < chunk.count; i++) {
        for (let c = 0; c < v.length; c++) {
          v[c] = chunk.columns[c][i];
          if (!Number.isFinite(v[c])) nonFinite++;
        }
        if (!plan.criteria.every((cr) => cr.evaluate(v))) failing++;
      }
      expect(failing).toBe(0);
      expect(nonFinite).toBe(0);
    });
  }
});

describe('hypertensive-adults.yaml', () => {
  const { spec, plan } = load('hypertensive-adults.yaml');
  const { col } = generate(plan, spec, 20_000);

  it('enrols only systolic pressure ≥ 140 mmHg and eGFR ≥ 30', () => {
    expect(count(col('sbp'), (v) => v < 140)).toBe(0);
    expect(count(col('egfr'), (v) => v < 30)).toBe(0);
    expect(count(col('age'), (v) => v < 55)).toBe(0);
  });

  it('has baseline numbers near ALLHAT/SPRINT', () => {
    // ALLHAT mean age 67 (≥ 55 eligible); enrolled SBP above the 146 screening mean
    expect(mean(col('age'))).toBeGreaterThan(65);
    expect(mean(col('age'))).toBeLessThan(71);
    expect(mean(col('sbp'))).toBeGreaterThan(146);
    expect(mean(col('sbp'))).toBeLessThan(162);
    expect(mean(col('dbp'))).toBeGreaterThan(78);
    expect(mean(col('dbp'))).toBeLessThan(92);
    // SPRINT BMI 29.9, eGFR 71.7
    expect(mean(col('bmi'))).toBeGreaterThan(28);
    expect(mean(col('bmi'))).toBeLessThan(32);
    expect(mean(col('egfr'))).toBeGreaterThan(62);
    expect(mean(col('egfr'))).toBeLessThan(80);
  });
});

describe('type2-diabetes.yaml', () => {
  const { spec, plan } = load('type2-diabetes.yaml');
  const { col } = generate(plan, spec, 20_000);

  it('enrols HbA1c 7.0–10.5 %, BMI ≥ 25, eGFR ≥ 45', () => {
    expect(count(col('hba1c'), (v) => v < 7 || v > 10.5)).toBe(0);
    expect(count(col('bmi'), (v) => v < 25)).toBe(0);
    expect(count(col('egfr'), (v) => v < 45)).toBe(0);
  });

  it('derives eAG = (28.7 × HbA1c − 46.7) / 18.016 mmol/L (ADAG, Nathan 2008)', () => {
    const a = col('hba1c');
    const e = col('eag');
    // Nathan 2008 Table: HbA1c 7 % → 8.6 mmol/L (154 mg/dL); 8 % → 10.2 (183); 9 % → 11.8 (212)
    const table: [number, number][] = [
      [7, 8.6],
      [8, 10.2],
      [9, 11.8]
    ];
    for (const [h, want] of table) {
      const i = a.findIndex((v) => v === h);
      expect(i, `a twin with HbA1c ${h}`).toBeGreaterThanOrEqual(0);
      // the published table rounds to whole mg/dL before converting: allow 0.1 mmol/L
      expect(Math.abs(e[i] - want)).toBeLessThanOrEqual(0.1 + 1e-9);
    }
    // the mmol/L form of the same regression, 1.59 × A1C − 2.59, agrees to 0.05 mmol/L
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(e[i] - (1.59 * a[i] - 2.59)));
    expect(worst).toBeLessThan(0.05 + 0.05 + 1e-9); // formula difference + rounding to 0.1
  });

  it('fasting glucose tracks HbA1c and sits below eAG on average', () => {
    const a = col('hba1c');
    const f = col('fpg');
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    const ma = mean(a);
    const mf = mean(f);
    for (let i = 0; i < a.length; i++) {
      sxy += (a[i] - ma) * (f[i] - mf);
      sxx += (a[i] - ma) ** 2;
      syy += (f[i] - mf) ** 2;
    }
    const r = sxy / Math.sqrt(sxx * syy);
    expect(r).toBeGreaterThan(0.45);
    expect(mf).toBeLessThan(mean(col('eag')));
    // SURPASS-2 baseline: HbA1c 8.28, weight 93.7, BMI 34.2, eGFR 96
    expect(ma).toBeGreaterThan(8.0);
    expect(ma).toBeLessThan(8.6);
    expect(mean(col('weight'))).toBeGreaterThan(88);
    expect(mean(col('weight'))).toBeLessThan(100);
    expect(mean(col('bmi'))).toBeGreaterThan(32);
    expect(mean(col('bmi'))).toBeLessThan(36);
    expect(mean(col('egfr'))).toBeGreaterThan(90);
    expect(mean(col('egfr'))).toBeLessThan(102);
  });
});

describe('ckd-stages.yaml', () => {
  const { spec, plan } = load('ckd-stages.yaml');
  const { col, code } = generate(plan, spec, 20_000);

  it('keeps each eGFR inside its KDIGO stage', () => {
    const bounds: Record<string, [number, number]> = {
      G2: [60, 90],
      G3a: [45, 60],
      G3b: [30, 45],
      G4: [15, 30],
      G5: [0, 15]
    };
    const stage = col('stage');
    const egfr = col('egfr');
    for (const [level, [lo, hi]] of Object.entries(bounds)) {
      const k = code('stage', level);
      expect(
        count(egfr, (v, i) => stage[i] === k && !(v >= lo && v < hi)),
        level
      ).toBe(0);
      expect(
        count(stage, (s) => s === k),
        level
      ).toBeGreaterThan(0);
    }
  });

  it('has more advanced stages in older age bands', () => {
    const band = col('age_band');
    const stage = col('stage');
    const advanced = (b: number) => {
      const inBand = count(band, (v) => v === b);
      const adv = count(stage, (s, i) => band[i] === b && s >= code('stage', 'G3b'));
      return adv / inBand;
    };
    expect(advanced(0)).toBeLessThan(advanced(1));
    expect(advanced(1)).toBeLessThan(advanced(2));
  });

  it('derives serum creatinine that gives back the eGFR through CKD-EPI 2021', () => {
    const scr = col('scr');
    const age = col('age');
    const sex = col('sex');
    const egfr = col('egfr');
    const female = code('sex', 'F');
    let worst = 0;
    for (let i = 0; i < scr.length; i++) {
      const back = DERIVED_FORMULAS.egfr_ckd_epi_2021.compute(scr[i], age[i], sex[i] === female ? 1 : 0);
      // scr is rounded to 0.01 mg/dL: d(eGFR)/eGFR ≤ 1.2 · 0.005 / SCr
      worst = Math.max(worst, Math.abs(back - egfr[i]) / egfr[i] / ((1.2 * 0.005) / scr[i] + 1e-12));
    }
    expect(worst).toBeLessThanOrEqual(1.01); // first-order bound, +1% for curvature
    // CRIC: mean age 58, mean eGFR ≈ 43
    expect(mean(col('age'))).toBeGreaterThan(54);
    expect(mean(col('age'))).toBeLessThan(60);
    expect(mean(egfr)).toBeGreaterThan(36);
    expect(mean(egfr)).toBeLessThan(47);
    expect(mean(scr)).toBeGreaterThan(1.4);
    expect(mean(scr)).toBeLessThan(2.6);
  });
});

describe('pediatric.yaml', () => {
  const { spec, plan } = load('pediatric.yaml');
  const { col } = generate(plan, spec, 20_000);

  it('covers ages 2.0–17.9 with age bands equal to the completed year', () => {
    const age = col('age');
    const band = col('age_band');
    expect(count(age, (v) => v < 2 || v >= 18)).toBe(0);
    expect(count(band, (b, i) => b !== Math.floor(age[i]) - 2)).toBe(0);
    for (let b = 0; b < 16; b++) expect(count(band, (v) => v === b)).toBeGreaterThan(900);
  });

  it('median height and weight per year follow CDC 2000 50th percentiles (sex-pooled)', () => {
    const band = col('age_band');
    const median = (x: Float64Array, b: number) => {
      const s = x.filter((_, i) => band[i] === b).sort();
      return s[Math.floor(s.length / 2)];
    };
    // CDC 2000: at 4.5 y ≈ 106 cm / 17.2 kg; at 10.5 y ≈ 141.5 cm / 34 kg; at 16.5 y ≈ 168.5 cm / 59 kg
    expect(median(col('height'), 2)).toBeGreaterThan(104);
    expect(median(col('height'), 2)).toBeLessThan(108);
    expect(median(col('weight'), 8)).toBeGreaterThan(32);
    expect(median(col('weight'), 8)).toBeLessThan(36);
    expect(median(col('height'), 14)).toBeGreaterThan(166);
    expect(median(col('height'), 14)).toBeLessThan(171);
    // growth is monotone in age
    for (let b = 1; b < 16; b++) {
      expect(median(col('height'), b)).toBeGreaterThan(median(col('height'), b - 1));
      expect(median(col('weight'), b)).toBeGreaterThan(median(col('weight'), b - 1));
    }
  });

  it('derives BSA by Mosteller from the twin’s height and weight', () => {
    const h = col('height');
    const w = col('weight');
    const bsa = col('bsa');
    expect(count(bsa, (v, i) => Math.abs(v - Math.sqrt((h[i] * w[i]) / 3600)) > 0.005 + 1e-9)).toBe(0);
    expect(count(col('bmi'), (v) => v < 11 || v >= 40)).toBe(0);
  });
});

describe('bench-1m.yaml', () => {
  const { spec, plan } = load('bench-1m.yaml');

  it('has exactly 8 covariates: 1 categorical, 4 correlated, 2 conditional, 2 derived; 2 criteria', () => {
    expect(spec.n).toBe(1_000_000);
    expect(plan.columns).toHaveLength(8);
    expect(spec.covariates.length + spec.derived.length).toBe(8);
    expect(spec.covariates.filter((c) => c.type === 'categorical')).toHaveLength(1);
    expect(spec.correlations).toHaveLength(1);
    expect(spec.correlations[0].variables).toHaveLength(4);
    expect(spec.covariates.filter((c) => c.type === 'continuous' && c.by !== undefined)).toHaveLength(2);
    expect(spec.derived).toHaveLength(2);
    expect(spec.criteria).toHaveLength(2);
    expect(spec.description).toMatch(/Exactly 8 covariates/);
  });

  // Throughput is measured by `npm run bench -- cohort`, not here.
  it('generates a chunk with almost no screening losses', () => {
    const { chunk } = generate(plan, spec, 50_000);
    expect(chunk.count).toBe(50_000);
    expect(chunk.screened).toBeLessThan(50_000 * 1.01);
  });
});

export type { CohortChunk };
