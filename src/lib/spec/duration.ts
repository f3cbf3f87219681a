import { z } from 'zod';

/**
 * Times in spec files: `12w`, `3d`, `36h`, `30min`, or a plain number of hours.
 * Twinbench works in hours internally.
 */
const UNIT_HOURS: Record<string, number> = { min: 1 / 60, h: 1, d: 24, w: 168 };
const PATTERN = /^\s*(-?\d+(?:\.\d+)?)\s*(min|h|d|w)\s*$/;

export function parseDuration(text: string): number | undefined {
  const m = PATTERN.exec(text);
  return m ? Number(m[1]) * UNIT_HOURS[m[2]] : undefined;
}

/** A time typed by a user: a plain number of hours, or a number with a unit. */
export function parseTime(text: string): number | undefined {
  return /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : parseDuration(text);
}

/** A time in hours, written as a number of hours or a string such as '12w'. */
export const duration = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number of hours'),
  z.string().transform((s, ctx) => {
    const h = parseDuration(s);
    if (h === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `'${s}' is not a time: write a number with a unit, min, h, d or w (such as 36h, 3d or 12w)`
      });
      return z.NEVER;
    }
    return h;
  })
]);

export const nonNegativeDuration = duration.refine((h) => h >= 0, 'must not be negative');
export const positiveDuration = duration.refine((h) => h > 0, 'must be greater than 0');

/** A time in hours as people write it: whole weeks, days or hours. */
export function formatHours(h: number): string {
  if (h !== 0 && h % 168 === 0) return `${h / 168}w`;
  if (h !== 0 && h % 24 === 0) return `${h / 24}d`;
  return `${+h.toFixed(3)}h`;
}
