import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';

/** The counts of a CONSORT-style diagram (see analysis/run-flow). */
export interface TrialFlowInput {
  screened: number | null;
  enrolled: number | null;
  /** The endpoint the analysed twins have a value of. */
  endpoint: string | null;
  arms: {
    arm: string;
    randomised: number;
    discontinued: number;
    discontinuedBy: Record<string, number>;
    rescued: number;
    lostToFollowUp: number;
    droppedOut: number;
    died: number;
    analysed: number;
  }[];
}

/** One box of the diagram: its column (an arm, or every column), its row from the top and its lines. */
export interface FlowBox {
  column: number;
  /** Columns spanned (the enrolment box spans every arm). */
  span: number;
  row: number;
  lines: string[];
}

export const trialFlowDefaults = { width: 640, rowHeight: 64, fontSize: 11 };

const count = (n: number | null) => (n === null ? '–' : n.toLocaleString('en'));

/**
 * The boxes of a CONSORT 2010 flow diagram (Schulz, Altman & Moher, BMJ 2010;340:c332,
 * figure 1) for a virtual trial: screening and enrolment across the top, then per arm
 * randomised, discontinued treatment (by reason), rescued, lost to follow-up, dropped out,
 * died (when a terminal endpoint is declared and anyone died) and analysed.
 */
export function trialFlowBoxes(input: TrialFlowInput): FlowBox[] {
  const k = input.arms.length;
  const anyDied = input.arms.some((a) => a.died > 0);
  const boxes: FlowBox[] = [
    {
      column: 0,
      span: k,
      row: 0,
      lines: [
        `Screened ${count(input.screened)}`,
        `enrolled and randomised ${count(input.enrolled ?? input.arms.reduce((s, a) => Math.max(s, a.randomised), 0))}`
      ]
    }
  ];
  input.arms.forEach((a, column) => {
    const reasons = Object.entries(a.discontinuedBy).map(([r, n]) => `${r.replaceAll('_', ' ')} ${count(n)}`);
    const stages: string[][] = [
      [a.arm, `allocated ${count(a.randomised)}`],
      [`Discontinued treatment ${count(a.discontinued)}`, ...reasons],
      [`Rescued ${count(a.rescued)}`],
      [`Lost to follow-up ${count(a.lostToFollowUp)}`, `dropped out ${count(a.droppedOut)}`],
      ...(anyDied ? [[`Died ${count(a.died)}`]] : []),
      [`Analysed ${count(a.analysed)}`, ...(input.endpoint ? [input.endpoint] : [])]
    ];
    stages.forEach((lines, i) => boxes.push({ column, span: 1, row: i + 1, lines }));
  });
  return boxes;
}

/** The diagram as Plot options: boxes as rects with their text, arrows down each column. */
export function trialFlowDiagram(
  input: TrialFlowInput,
  options: Partial<typeof trialFlowDefaults> = {}
): PlotOptions {
  const o = { ...trialFlowDefaults, ...options };
  const boxes = trialFlowBoxes(input);
  const k = Math.max(1, input.arms.length);
  const rows = Math.max(...boxes.map((b) => b.row)) + 1;
  const pad = 0.06;
  const rect = boxes.map((b) => ({
    x1: b.column + pad,
    x2: b.column + b.span - pad,
    y1: b.row + 0.12,
    y2: b.row + 0.88,
    x: b.column + b.span / 2,
    y: b.row + 0.5,
    text: b.lines.join('\n')
  }));
  const arrows = boxes
    .filter((b) => b.row > 0)
    .map((b) => ({ x: b.column + 0.5, y1: b.row - 0.12, y2: b.row + 0.12 }));
  return {
    width: o.width,
    height: rows * o.rowHeight,
    margin: 0,
    x: { axis: null, domain: [0, k] },
    y: { axis: null, domain: [rows, 0] },
    marks: [
      Plot.rect(rect, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: '#f4f7fa', stroke: '#5a6b7b' }),
      Plot.arrow(arrows, { x1: 'x', x2: 'x', y1: 'y1', y2: 'y2', stroke: '#5a6b7b', headLength: 6 }),
      Plot.text(rect, {
        x: 'x',
        y: 'y',
        text: 'text',
        fontSize: o.fontSize,
        lineWidth: (o.width / k / o.fontSize) * 1.6,
        fill: '#1d2b36'
      })
    ]
  };
}
