import type { Dose } from '../models';
import type { CompiledEndpoint } from './compile-endpoints';

/**
 * What happened to a twin under one scenario between its dosing and its observations:
 * the doses it took, the dosing occasions it missed, when it dropped out, when each
 * time-to-event endpoint's event happened, and so where its follow-up ends. The chunk
 * simulation builds it in steps (dosing with adherence, the model with titration, then
 * dropout and events) and records observations, endpoints and events from it.
 * Intercurrent events that change the doses after a time (treatment discontinuation,
 * rescue medication) belong here as further steps and fields, with their own event kinds.
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
  /** Observations after this time are not made: dropout, or a terminal event. */
  followUpEnd: number;
}

/** Follow-up ends at dropout or at the first terminal event (death), whichever is first. */
export function followUpEnd(endpoints: CompiledEndpoint[], eventTime: number[], dropoutTime: number): number {
  let end = dropoutTime;
  endpoints.forEach((e, ei) => {
    if (e.spec.type === 'tte' && e.spec.terminal && eventTime[ei] < end) end = eventTime[ei];
  });
  return end;
}
