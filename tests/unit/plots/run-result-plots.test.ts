// The run page's plots: pure options that Observable Plot renders in Node (linkedom as document).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../../src/lib/stats';
import {
  kaplanMeierCurves,
  survivalTimeUnit,
  HOURS_PER_MONTH
} from '../../../src/lib/plots/kaplan-meier-curves';
import {
  kaplanMeierRiskPlot,
  medianSurvival,
  numbersAtRisk,
  riskTimes
} from '../../../src/lib/plots/kaplan-meier-risk';
import { percentileBandsPlot } from '../../../src/lib/plots/percentile-bands';
import { spaghettiPlot } from '../../../src/lib/plots/spaghetti';
import { waterfallPlot } from '../../../src/lib/plots/waterfall';
import {
  trialFlowBoxes,
  trialFlowDiagram,
  type TrialFlowInput
} from '../../../src/lib/plots/trial-flow-diagram';

const { document } = parseHTML('<!doctype html><html><body></body></html>');
const render = (options: Plot.PlotOptions) => Plot.plot({ ...options, document }) as unknown as Element;
const texts = (svg: Element) => [...svg.querySelectorAll('text, tspan')].map((t) => t.textContent ?? '');

// R survival::aml, Maintained group: time 9 13 13+ 18 23 28+ 31 34 45+ 48 161+.
// print(survfit(Surv(time, status) ~ 1, aml[aml$x == "Maintained", ])) gives median 31;
// summary(..., times = c(0, 12, 24, 36, 48))$n.risk is 11 10 6 3 2 (the twins with time >= t).
const AML_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161];
const AML_STATUS = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0];

describe('Kaplan–Meier with numbers at risk', () => {
  const curve = { arm: 'Maintained', km: kaplanMeier(AML_TIME, AML_STATUS) };
  it('numbers at risk and the median agree with R survfit on aml', () => {
    expect(numbersAtRisk(curve, [0, 12, 24, 36, 48, 200])).toEqual([11, 10, 6, 3, 2, 0]);
    expect(medianSurvival(curve)).toBe(31);
    expect(medianSurvival({ arm: 'x', km: kaplanMeier([1, 2, 3, 4], [1, 0, 0, 0]) })).toBeNull();
  });

  it('axis times are round steps covering the curve', () => {
    expect(riskTimes(161, 6)).toEqual([0, 50, 100, 150]);
    expect(riskTimes(18, 6)).toEqual([0, 5, 10, 15]);
    expect(riskTimes(0, 6)).toEqual([0]);
  });

  it('picks days, weeks or months from the protocol duration', () => {
    expect(survivalTimeUnit(4 * 168).unit).toBe('days');
    expect(survivalTimeUnit(12 * 168).unit).toBe('weeks');
    expect(survivalTimeUnit(78 * 168)).toEqual({ unit: 'months', hours: HOURS_PER_MONTH });
  });

  it('curves per arm convert hours to the axis unit and drop empty arms', () => {
    const values = AML_TIME.map((t, i) => ({ arm: 'a', value: t * 168, censored: 1 - AML_STATUS[i] }));
    const curves = kaplanMeierCurves(values, ['a', 'b'], 168);
    expect(curves.map((c) => c.arm)).toEqual(['a']);
    expect(curves[0].km.time).toEqual(kaplanMeier(AML_TIME, AML_STATUS).time);
  });

  it('renders bands, the median and an at-risk row per arm under the axis', () => {
    const svg = render(kaplanMeierRiskPlot([curve], { time: 'overall survival', unit: 'weeks' }));
    const t = texts(svg);
    expect(t).toContain('Number at risk');
    expect(t).toContain('Maintained');
    // At 0, 50, 100 and 150 weeks: 11, 1, 1, 1 at risk.
    expect(t.filter((s) => s === '11' || s === '1')).toHaveLength(4);
    expect(t.some((s) => s.includes('overall survival (weeks)'))).toBe(true);
  });
});

describe('percentile bands', () => {
  it('draws a band per arm and the n of each visit above the plot, time in weeks', () => {
    const data = [0, 336, 672, 2016].flatMap((time, i) =>
      ['placebo', '5 mg'].map((arm) => ({ arm, time, n: 100 - i, p05: 120 - i, p50: 140 - i, p95: 160 - i }))
    );
    const svg = render(percentileBandsPlot(data, { output: 'E', unit: 'mmHg', arms: ['placebo', '5 mg'] }));
    const t = texts(svg);
    expect(t).toContain('97');
    expect(t.some((s) => s.includes('E (mmHg)'))).toBe(true);
    expect(t.some((s) => s.includes('time (w)'))).toBe(true);
    expect(svg.querySelectorAll('[aria-label="area"] path').length).toBe(2);
  });
});

describe('spaghetti', () => {
  it('links every twin line and dot to its story', () => {
    const data = [
      { arm: 'placebo', twin: 7, time: 0, value: 150 },
      { arm: 'placebo', twin: 7, time: 336, value: 148 },
      { arm: '5 mg', twin: 12, time: 0, value: 151 },
      { arm: '5 mg', twin: 12, time: 336, value: 139 }
    ];
    const svg = render(
      spaghettiPlot(
        data,
        { output: 'E', unit: 'mmHg', arms: ['placebo', '5 mg'] },
        (twin) => `/twin?run=3&twin=${twin}`
      )
    );
    const links = [...svg.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(new Set(links)).toEqual(new Set(['/twin?run=3&twin=7', '/twin?run=3&twin=12']));
  });
});

describe('trial flow diagram', () => {
  const input: TrialFlowInput = {
    screened: 530,
    enrolled: 400,
    endpoint: 'sbp_change_w12',
    arms: [
      {
        arm: 'placebo',
        randomised: 200,
        discontinued: 0,
        discontinuedBy: {},
        rescued: 0,
        lostToFollowUp: 0,
        droppedOut: 21,
        died: 0,
        analysed: 179
      },
      {
        arm: '5 mg',
        randomised: 200,
        discontinued: 9,
        discontinuedBy: { adverse_event: 9 },
        rescued: 2,
        lostToFollowUp: 1,
        droppedOut: 18,
        died: 0,
        analysed: 181
      }
    ]
  };
  it('one enrolment box and six boxes per arm (no death row when nobody died)', () => {
    const boxes = trialFlowBoxes(input);
    expect(boxes).toHaveLength(1 + 2 * 5);
    expect(boxes[0].lines).toEqual(['Screened 530', 'enrolled and randomised 400']);
    expect(boxes.find((b) => b.column === 1 && b.row === 2)?.lines).toEqual([
      'Discontinued treatment 9',
      'adverse event 9'
    ]);
    expect(boxes.find((b) => b.column === 0 && b.row === 5)?.lines).toEqual([
      'Analysed 179',
      'sbp_change_w12'
    ]);
    const died = trialFlowBoxes({ ...input, arms: input.arms.map((a) => ({ ...a, died: 1 })) });
    expect(died.find((b) => b.row === 5)?.lines).toEqual(['Died 1']);
  });
  it('renders every box', () => {
    const svg = render(trialFlowDiagram(input));
    expect(svg.querySelectorAll('[aria-label="rect"] rect').length).toBe(11);
    expect(texts(svg).join(' ')).toContain('Dropped out'.toLowerCase().replace('d', 'd'));
  });
});

describe('waterfall', () => {
  it('one panel per arm, a bar per twin, RECIST lines for a percent change', () => {
    const bars = [40, 5, -35, -60].flatMap((v, i) => [
      { arm: 'control', twin: i + 1, value: v, rank: i + 1 },
      { arm: 'drug', twin: i + 11, value: v - 10, rank: i + 1 }
    ]);
    const svg = render(waterfallPlot(bars, { endpoint: 'SLD', arms: ['control', 'drug'], percent: true }));
    expect(svg.querySelectorAll('[aria-label="bar"] rect').length).toBe(8);
    expect(svg.querySelectorAll('[aria-label="rule"] line').length).toBe(2 * (1 + 2)); // per panel: 0, +20 % and −30 %
    expect(texts(svg).some((t) => t.includes('SLD (%)'))).toBe(true);
  });
});
