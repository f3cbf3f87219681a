import { factorialInteraction, StatsInputError } from '../stats';
import type { ContinuousArmData } from './compare-continuous';
import { CompareInputError } from './compare-errors';
import { fin } from './compare-row';
import type { FactorialDesign, FactorialInteractionRow } from './compare-types';

/**
 * The 2×2 factorial of a protocol and its interaction test. A protocol is a 2×2 factorial when
 * it has exactly four arms: one with neither drug, one with the protocol's drug only (a regimen,
 * not placebo), one with the companion drug only and one with both (as
 * protocols/antihypertensive-combination.yaml). The interaction is the A:B coefficient of R
 * lm(y ~ A * B) (stats/factorialInteraction).
 */
interface StoredArm {
  name: string;
  placebo?: boolean;
  regimen?: unknown;
  companion?: unknown;
}

/** The factorial design of a stored (resolved) protocol, or null when it is not a 2×2 factorial. */
export function factorialDesignOf(protocol: unknown): FactorialDesign | null {
  const p = protocol as { arms?: StoredArm[]; companion?: { name?: string } } | null;
  const arms = p?.arms;
  if (!Array.isArray(arms) || arms.length !== 4 || !p?.companion) return null;
  const cells = arms.map((arm) => ({
    arm: arm.name,
    a: (arm.regimen !== undefined && !arm.placebo ? 1 : 0) as 0 | 1,
    b: (arm.companion !== undefined ? 1 : 0) as 0 | 1
  }));
  const codes = new Set(cells.map((c) => c.a + 2 * c.b));
  if (codes.size !== 4) return null;
  return { factorA: 'drug', factorB: p.companion.name ?? 'companion', cells };
}

/** The interaction test over the four arms' data (control included); a note when it cannot be fitted. */
export function factorialRow(
  design: FactorialDesign,
  data: readonly ContinuousArmData[],
  confLevel: number
): FactorialInteractionRow {
  const byArm = new Map(data.map((d) => [d.arm, d]));
  for (const c of design.cells) {
    if (!byArm.has(c.arm)) {
      throw new CompareInputError(
        `factorial: there is no arm '${c.arm}' (arms: ${data.map((d) => d.arm).join(', ')})`
      );
    }
  }
  const n = design.cells.reduce((s, c) => s + byArm.get(c.arm)!.y.length, 0);
  const outcome = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let at = 0;
  for (const c of design.cells) {
    const y = byArm.get(c.arm)!.y;
    outcome.set(y, at);
    a.fill(c.a, at, at + y.length);
    b.fill(c.b, at, at + y.length);
    at += y.length;
  }
  const base = { factorA: design.factorA, factorB: design.factorB };
  try {
    const r = factorialInteraction({ outcome, a, b }, { confLevel });
    return {
      ...base,
      cells: design.cells.map((c) => {
        const cell = r.cells.find((x) => x.a === c.a && x.b === c.b)!;
        return { ...c, n: cell.n, mean: fin(cell.mean) };
      }),
      estimate: fin(r.estimate),
      ciLow: fin(r.ciLow),
      ciHigh: fin(r.ciHigh),
      statistic: fin(r.statistic),
      df: r.df,
      pValue: fin(r.pValue),
      note: null
    };
  } catch (e) {
    if (!(e instanceof StatsInputError)) throw e;
    return {
      ...base,
      cells: design.cells.map((c) => ({ ...c, n: byArm.get(c.arm)!.y.length, mean: null })),
      estimate: null,
      ciLow: null,
      ciHigh: null,
      statistic: null,
      df: null,
      pValue: null,
      note: e.message
    };
  }
}
