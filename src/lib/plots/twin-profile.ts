import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { axisLabel, timeUnitFor } from './profile';

/** One twin's course of one output, under one or several arms. */
export interface TwinProfileInput {
  output: string;
  unit?: string;
  /** Study duration (h). */
  duration: number;
  arms: readonly string[];
  /** The profile's points (h), a line per arm. */
  profile: readonly { arm: string; time: number; value: number }[];
  /** Visits and samples with residual error, a dot each. */
  observations: readonly { arm: string; time: number; value: number }[];
  /** Doses given (a triangle along the bottom) and missed (a cross), per arm. */
  doses: readonly { arm: string; time: number }[];
  missed: readonly { arm: string; time: number }[];
  /** Events (dropout, discontinuation…): a dashed rule at each, labelled. */
  events: readonly { arm: string; time: number; label: string }[];
}

export const twinProfileDefaults = { width: 640, height: 260 };

/**
 * A twin's profile of one output: the profile as a line and the observations as dots per
 * arm, doses given as triangles along the bottom, missed doses as crosses, and events as
 * dashed rules with their names. Time in the unit the study's length suggests.
 */
export function twinProfilePlot(
  input: TwinProfileInput,
  options: Partial<typeof twinProfileDefaults> = {}
): PlotOptions {
  const o = { ...twinProfileDefaults, ...options };
  const t = timeUnitFor(input.duration);
  const scale = <T extends { time: number }>(rows: readonly T[]) =>
    rows.map((r) => ({ ...r, t: r.time / t.hours }));
  return {
    width: o.width,
    height: o.height,
    marginLeft: 56,
    marginBottom: 44,
    grid: true,
    x: { label: `time (${t.unit})`, domain: [0, input.duration / t.hours] },
    y: { label: axisLabel(input.output, input.unit), nice: true },
    color: { legend: input.arms.length > 1, domain: [...input.arms], label: 'arm' },
    marks: [
      Plot.line(scale(input.profile), { x: 't', y: 'value', stroke: 'arm', z: 'arm', strokeWidth: 1.4 }),
      Plot.dot(scale(input.observations), { x: 't', y: 'value', fill: 'arm', r: 3, stroke: 'white' }),
      Plot.dot(scale(input.doses), { x: 't', frameAnchor: 'bottom', symbol: 'triangle', fill: 'arm', r: 3 }),
      Plot.dot(scale(input.missed), {
        x: 't',
        frameAnchor: 'bottom',
        symbol: 'times',
        stroke: '#c0392b',
        r: 4
      }),
      Plot.ruleX(scale(input.events), { x: 't', stroke: 'arm', strokeDasharray: '4 3' }),
      Plot.text(scale(input.events), {
        x: 't',
        text: 'label',
        frameAnchor: 'top',
        dy: 4,
        dx: 3,
        textAnchor: 'start',
        fontSize: 10
      })
    ]
  };
}
