// MMRM vs R nlme::gls(REML) with unstructured (corSymm + varIdent) and the fallback structures,
// and emmeans' Satterthwaite df (tests/golden/mmrm/mmrm-reference.R writes the fixtures).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ancova, mmrm, type MmrmCovarianceName, type MmrmInput } from '../../../src/lib/stats';
import { expectClose } from './golden';

const dir = fileURLToPath(new URL('../../golden/mmrm/', import.meta.url));
interface ReferenceFit {
  coefNames: string[];
  coef: number[];
  se: number[];
  logLik: number;
  effects: { arm: string; visit: string; estimate: number; stdErr: number; satterthwaiteDf: number | null }[];
}
const golden = JSON.parse(readFileSync(`${dir}mmrm-expected.json`, 'utf8')) as {
  cases: {
    name: string;
    file: string;
    visits: string[];
    arms: string[];
    control: string;
    fits: Record<string, ReferenceFit>;
  }[];
};

/** The fixtures' CSV (quoted labels, empty outcome = missing) as MMRM input. */
function readCase(file: string): MmrmInput {
  const lines = readFileSync(`${dir}${file}`, 'utf8').trim().split('\n');
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  const cols = lines.slice(1).map((l) => l.split(',').map((c) => c.replace(/"/g, '')));
  const col = (name: string): string[] => cols.map((c) => c[header.indexOf(name)]);
  const num = (xs: string[]): number[] => xs.map((x) => (x === '' ? NaN : Number(x)));
  return {
    outcome: num(col('y')),
    subject: col('id'),
    visit: col('visit'),
    arm: col('arm'),
    baseline: header.includes('baseline') ? num(col('baseline')) : undefined
  };
}

// Estimates agree to 1e-5 relative, or to 1e-5 of their SE when near zero (a slope difference of
// 6e-4 has no meaningful relative error); SEs to 1e-5 and the REML log-likelihood to 1e-8
// relative. Both sides' df come from numerical derivatives (ours: central differences of the
// analytic gradient; R: numDeriv on the textbook REML), hence 1e-3.
describe('mmrm vs R nlme::gls (REML)', () => {
  for (const c of golden.cases) {
    for (const [structure, ref] of Object.entries(c.fits) as [MmrmCovarianceName, ReferenceFit][]) {
      it(`${c.name}, ${structure}: coefficients, SEs, REML logLik, effects and df`, () => {
        const r = mmrm(readCase(c.file), {
          control: c.control,
          visitLevels: c.visits,
          armLevels: c.arms,
          covariance: [structure]
        });
        expect(r.covariance).toBe(structure);
        expect(r.fallbackReason).toBeNull();
        expect(r.converged).toBe(true);
        expectClose(r.logLik, ref.logLik, 1e-8, 0, 'logLik');
        expect(r.coefficients.map((x) => x.name)).toEqual(ref.coefNames);
        r.coefficients.forEach((x, i) => {
          expectClose(x.estimate, ref.coef[i], 1e-5, 1e-5 * ref.se[i], `coef ${x.name}`);
          expectClose(x.stdErr, ref.se[i], 1e-5, 0, `se ${x.name}`);
        });
        expect(r.effects).toHaveLength(ref.effects.length);
        for (const e of ref.effects) {
          const ours = r.effects.find((x) => x.arm === e.arm && x.visit === e.visit)!;
          expectClose(ours.estimate, e.estimate, 1e-5, 1e-5 * e.stdErr, `effect ${e.arm} ${e.visit}`);
          expectClose(ours.stdErr, e.stdErr, 1e-5, 0, `effect SE ${e.arm} ${e.visit}`);
          expect(r.dfMethod).toBe('satterthwaite');
          // the R script's Satterthwaite (numDeriv Hessian and gradient of the textbook REML)
          if (e.satterthwaiteDf !== null)
            expectClose(ours.df, e.satterthwaiteDf, 1e-3, 0, `df ${e.arm} ${e.visit}`);
        }
      });
    }
  }
});

// With dropout only (every subject seen at the first visit), an unstructured covariance and a mean
// with its own arm and baseline terms at each visit, the likelihood factorises as f(y1)·f(y2 | y1)…
// (Little & Rubin 2019, §7.2), so the first visit's effect is the ANCOVA of that visit alone:
// R lm(y1 ~ arm + baseline), with n − 3 df (here from ancova(), itself checked against lm).
describe('mmrm at the first visit under monotone dropout', () => {
  it("equals the first visit's ANCOVA: estimate, SE and df", () => {
    const c = golden.cases[0];
    const d = readCase(c.file);
    const r = mmrm(d, { control: c.control, visitLevels: c.visits, armLevels: c.arms });
    const first = [...Array(d.outcome.length).keys()].filter((i) => d.visit[i] === c.visits[0]);
    const a = ancova({
      outcome: first.map((i) => d.outcome[i]),
      treatment: first.map((i) => (d.arm[i] === c.control ? 0 : 1)),
      baseline: first.map((i) => d.baseline![i])
    });
    const e = r.effects[0];
    expect(e.visit).toBe(c.visits[0]);
    expectClose(e.estimate, a.estimate, 1e-8, 0, 'estimate');
    expectClose(e.stdErr, a.stdErr, 1e-6, 0, 'SE');
    expectClose(e.df, a.df, 1e-5, 0, 'df');
  });
});
