/**
 * Kinds of the rows of a run's event table. A kind's code is its index in `EVENT_KINDS`,
 * stored in `event_data.kind` and named in `run_name` (kind 'event') by the run store, so
 * the engine and the database read the same list. Codes are stored: add a kind at the
 * end (treatment discontinuation, rescue medication…), never reorder.
 */
export const EVENT_KINDS = [
  'dropout',
  'missed_dose',
  'endpoint_event',
  'discontinuation',
  'rescue',
  'lost_to_follow_up'
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** The twin leaves the study (informative or not); follow-up ends. */
export const EVENT_DROPOUT = 0;
/** A dosing occasion the twin missed (adherence). */
export const EVENT_MISSED_DOSE = 1;
/** A time-to-event endpoint's event; the row names its endpoint. */
export const EVENT_ENDPOINT = 2;

/**
 * Treatment discontinuation: the twin takes no further dose. The row's `endpoint` column
 * holds the reason's code (the protocol's reasons in order, named in `run_name` with kind
 * 'reason'); the `event` view shows the reason's name in its `endpoint` column.
 */
export const EVENT_DISCONTINUATION = 3;
/** Rescue medication starts: its effect adds to an output from then on. */
export const EVENT_RESCUE = 4;
/** A twin who discontinued is lost to follow-up: nothing is observed after this time. */
export const EVENT_LOST_TO_FOLLOW_UP = 5;

/** The `endpoint` of an event row that belongs to no endpoint. */
export const NO_ENDPOINT = -1;
