// Kaplan–Meier estimate with Greenwood standard error and log-transformed confidence limits,
// as R survival::survfit(Surv(time, status) ~ 1) with the defaults conf.type = "log", conf.int = 0.95.
// Reference: Kaplan & Meier (1958), JASA 53:457–481; Greenwood (1926); Therneau & Grambsch (2000) §2.1.
import { normalQuantile } from './distributions';
import { sortSurvival } from './survivalInput';
import { assertConfLevel, finiteOrNull } from './validate';

export interface KaplanMeierResult {
  /** distinct observed times (events or censorings), ascending */
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** Greenwood standard error of −log S (survfit's `std.err`); null where infinite */
  stdErr: (number | null)[];
  /** confidence limits of S; null where S = 0 */
  lower: (number | null)[];
  upper: (number | null)[];
  confLevel: number;
  n: number;
  events: number;
}

/** Kaplan–Meier curve of right-censored data; status 1 = event, 0 = censored. */
export function kaplanMeier(
  time: ArrayLike<number>,
  status: ArrayLike<number>,
  options: { confLevel?: number } = {}
): KaplanMeierResult {
  const confLevel = options.confLevel ?? 0.95;
  assertConfLevel(confLevel);
  const order = sortSurvival(time, status);
  const n = order.length;
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const res: KaplanMeierResult = {
    time: [],
    nRisk: [],
    nEvent: [],
    nCensor: [],
    surv: [],
    stdErr: [],
    lower: [],
    upper: [],
    confLevel,
    n,
    events: 0
  };
  let atRisk = n;
  let s = 1;
  let greenwood = 0;
  let i = 0;
  while (i < n) {
    const t = time[order[i]];
    let d = 0;
    let c = 0;
    while (i < n && time[order[i]] === t) {
      if (status[order[i]] === 1) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      s *= (atRisk - d) / atRisk;
      greenwood += d / (atRisk * (atRisk - d));
    }
    const se = Math.sqrt(greenwood);
    res.time.push(t);
    res.nRisk.push(atRisk);
    res.nEvent.push(d);
    res.nCensor.push(c);
    res.surv.push(s);
    res.stdErr.push(finiteOrNull(se));
    if (s > 0 && Number.isFinite(se)) {
      res.lower.push(Math.exp(Math.log(s) - z * se));
      res.upper.push(Math.min(1, Math.exp(Math.log(s) + z * se)));
    } else {
      res.lower.push(null);
      res.upper.push(null);
    }
    res.events += d;
    atRisk -= d + c;
  }
  return res;
}
