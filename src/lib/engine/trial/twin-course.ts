import type { Dose } from '../models';
import type { CompiledEndpoint } from './compile-endpoints';

/**
 * What happened to a twin under one scenario between its dosing and its observations:
 * the doses it took, the dosing occasions it missed, when it dropped out, when each
 * time-to-event endpoint's event happened, and so where its follow-up ends. The chunk
 * simulation builds it in steps (dosing with adherence, the model with titration, then
 * intercurrent events: treatment discontinuation and rescue medication, then dropout and
 * events) and records observations, endpoints and events from it.
 */
export interface TwinCourse {
  /** Primary-drug doses taken, over every period. */
  doses: Dose[];
  /** Doses are an arm's fixed doses, so its resolved regimen can be reused. */
  shared: boolean;
  /** Times of missed dosing occasions (undefined without per-twin adherence). */
  missed: number[] | undefined;
  /** Dropout time (Infinity: none). */
  dropoutTime: number;
  /** Event time per endpoint (NaN: none, or not a time-to-event endpoint). */
  eventTime: number[];
  /** Observations after this time are not made: dropout, a terminal event, or loss to
   * follow-up after discontinuation. */
  followUpEnd: number;
  /** Treatment discontinuation: no dose from this time on (Infinity: none). */
  discontinuationTime: number;
  /** The discontinuation's reason (an index of the compiled reasons), -1 without one. */
  discontinuationReason: number;
  /** Rescue medication's start (Infinity: none). */
  rescueTime: number;
  /** The twin was lost to follow-up at its discontinuation. */
  lostToFollowUp: boolean;
}

/** Follow-up ends at dropout or at the first terminal event (death), whichever is first. */
export function followUpEnd(endpoints: CompiledEndpoint[], eventTime: number[], dropoutTime: number): number {
  let end = dropoutTime;
  endpoints.forEach((e, ei) => {
    if (e.spec.type === 'tte' && e.spec.terminal && eventTime[ei] < end) end = eventTime[ei];
  });
  return end;
}
