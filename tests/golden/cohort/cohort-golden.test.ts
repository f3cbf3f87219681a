import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCohortSpec } from '../../../src/lib/load/load-cohort';
import { compileCohort, generateCohortChunk } from '../../../src/lib/engine/cohort';

/**
 * Reproducibility across versions: the first twins of each shipped cohort at its own
 * seed, as recorded in the fixture. A recorded run must regenerate the same twins, so
 * any change here is a change to every stored cohort and needs a deliberate decision
 * (and a version note). This is a regression lock, not a correctness check: the values
 * were recorded from the engine itself. Rewrite after an intended change with
 *   UPDATE_GOLDEN=1 npx vitest run tests/golden/cohort
 */
const FIXTURE = new URL('./first-twins.json', import.meta.url);
const FILES = [
  'adults-nhanes.yaml',
  'hypertensive-adults.yaml',
  'type2-diabetes.yaml',
  'ckd-stages.yaml',
  'pediatric.yaml',
  'bench-1m.yaml'
];
const TWINS = 5;

type Golden = Record<string, { seed: number; screened: number; twins: Record<string, number | string>[] }>;

function firstTwins(file: string): Golden[string] {
  const text = readFileSync(new URL(`../../../cohorts/${file}`, import.meta.url), 'utf8');
  const spec = loadCohortSpec(text, file);
  const plan = compileCohort(spec);
  const chunk = generateCohortChunk(plan, spec.seed, 1, TWINS);
  const twins = Array.from({ length: TWINS }, (_, i) =>
    Object.fromEntries(
      plan.columns.map((c, k) => {
        const v = chunk.columns[k][i];
        return [c.name, c.levels ? c.levels[v] : v];
      })
    )
  );
  return { seed: spec.seed, screened: chunk.screened, twins };
}

describe('shipped cohorts regenerate their recorded first twins', () => {
  const current: Golden = Object.fromEntries(FILES.map((f) => [f, firstTwins(f)]));
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(FIXTURE, JSON.stringify(current, null, 2) + '\n');
  }
  const golden = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Golden;

  for (const file of FILES) {
    it(file, () => {
      expect(golden[file], `${file} missing from the fixture`).toBeDefined();
      // JSON keeps doubles exactly (shortest round-trip form), so equality is bitwise
      expect(current[file]).toEqual(golden[file]);
    });
  }
});
