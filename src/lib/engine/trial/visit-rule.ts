/**
 * A rule checked at visits on an output's observed value (the prediction with residual
 * error, what the investigator sees): treatment discontinuation for an adverse event or
 * lack of efficacy, or rescue medication.
 */
export interface VisitRule {
  output: number;
  /** Fires when the value is above the threshold (else below), strictly. */
  above: boolean;
  threshold: number;
  /** 1 for each visit number (0 is baseline) at which the rule is checked. */
  checked: Uint8Array;
}

/** Whether the rule fires at visit v, reading `pred` (outputs × nTT) at grid index k. */
export function ruleFires(rule: VisitRule, v: number, pred: Float64Array, nTT: number, k: number): boolean {
  if (!rule.checked[v]) return false;
  const y = pred[rule.output * nTT + k];
  return rule.above ? y > rule.threshold : y < rule.threshold;
}
