import { rowsOf, sqlString, type Connector } from '../db/connector';
import { fin } from './compare-row';
import type { CounterfactualEffect, EndpointType } from './compare-types';

/**
 * Per-twin treatment effects of a counterfactual run, where every twin was simulated under
 * every arm: for each active arm, the distribution over twins of value(arm) − value(control)
 * (binary: also the shares of twins with the event under the arm only and under the control
 * only). Time-to-event effects need both times uncensored and are not summarised here
 * (returns an empty list for tte).
 *
 * `relation` has columns (twin_key, arm, y): one row per twin and arm, no missing values.
 */
export async function counterfactualEffects(
  db: Connector,
  relation: string,
  arms: readonly string[],
  type: EndpointType
): Promise<CounterfactualEffect[]> {
  if (type === 'tte') return [];
  const [control, ...active] = arms;
  const out: CounterfactualEffect[] = [];
  for (const arm of active) {
    const r = rowsOf<Record<string, number | null>>(
      await db.query(
        `WITH d AS (SELECT a.y - c.y AS d FROM (${relation}) a JOIN (${relation}) c ON a.twin_key = c.twin_key ` +
          `WHERE a.arm = ${sqlString(arm)} AND c.arm = ${sqlString(control)}) ` +
          `SELECT count(*)::DOUBLE AS n, avg(d)::DOUBLE AS mean, stddev_samp(d)::DOUBLE AS sd, ` +
          `quantile_cont(d, 0.5)::DOUBLE AS median, quantile_cont(d, 0.25)::DOUBLE AS q1, ` +
          `quantile_cont(d, 0.75)::DOUBLE AS q3, quantile_cont(d, 0.025)::DOUBLE AS p025, ` +
          `quantile_cont(d, 0.975)::DOUBLE AS p975, min(d)::DOUBLE AS min, max(d)::DOUBLE AS max, ` +
          `avg(CASE WHEN d > 0 THEN 1 ELSE 0 END)::DOUBLE AS arm_only, ` +
          `avg(CASE WHEN d < 0 THEN 1 ELSE 0 END)::DOUBLE AS control_only FROM d`
      )
    )[0];
    const binary = type === 'binary';
    out.push({
      arm,
      control,
      n: r.n ?? 0,
      mean: fin(r.mean),
      sd: fin(r.sd),
      median: fin(r.median),
      q1: fin(r.q1),
      q3: fin(r.q3),
      p025: fin(r.p025),
      p975: fin(r.p975),
      min: fin(r.min),
      max: fin(r.max),
      armOnly: binary ? fin(r.arm_only) : null,
      controlOnly: binary ? fin(r.control_only) : null
    });
  }
  return out;
}
