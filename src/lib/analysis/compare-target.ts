import { targetAttainment, type TargetWindow } from '../stats';
import type { ContinuousArmData } from './compare-continuous';
import { fin } from './compare-row';
import type { TargetAttainment } from './compare-types';

/**
 * Probability of target attainment by arm: the share of subjects whose value (an exposure
 * metric such as AUC or Ctrough) lies in [low, high], with its Wilson interval (R
 * prop.test(x, n, correct = FALSE)); see stats/targetAttainment.
 */
export function targetAttainmentByArm(
  arms: readonly ContinuousArmData[],
  target: TargetWindow,
  confLevel: number
): TargetAttainment {
  return {
    low: fin(target.low),
    high: fin(target.high),
    arms: arms.map((d) => {
      const r = targetAttainment(d.y, target, { confLevel });
      return {
        arm: d.arm,
        attained: r.attained,
        n: r.n,
        proportion: r.proportion,
        ciLow: r.ciLow,
        ciHigh: r.ciHigh
      };
    })
  };
}
