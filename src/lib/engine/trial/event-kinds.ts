/**
 * Kinds of the rows of a run's event table. A kind's code is its index in `EVENT_KINDS`,
 * stored in `event_data.kind` and named in `run_name` (kind 'event') by the run store, so
 * the engine and the database read the same list. Codes are stored: add a kind at the
 * end (treatment discontinuation, rescue medication…), never reorder.
 */
export const EVENT_KINDS = ['dropout', 'missed_dose', 'endpoint_event'] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** The twin leaves the study (informative or not); follow-up ends. */
export const EVENT_DROPOUT = 0;
/** A dosing occasion the twin missed (adherence). */
export const EVENT_MISSED_DOSE = 1;
/** A time-to-event endpoint's event; the row names its endpoint. */
export const EVENT_ENDPOINT = 2;

/** The `endpoint` of an event row that belongs to no endpoint. */
export const NO_ENDPOINT = -1;
