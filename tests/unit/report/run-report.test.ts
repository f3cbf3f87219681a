// The HTML report builder: every section present, every user string escaped (a protocol named
// with a <script> stays text), no script and nothing fetched from elsewhere, charts inline.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../src/lib/analysis/compare-types';
import { escapeHtml, runReportHtml, type RunReport } from '../../../src/lib/report/run-report';

const evil = '<script>alert("x")</script>';

const comparison: Comparison = {
  endpoint: 'sbp_change',
  type: 'continuous',
  control: 'placebo',
  primary: 'welch_t',
  adjust: 'holm',
  confLevel: 0.95,
  arms: [
    {
      arm: 'placebo',
      n: 10,
      missing: 0,
      mean: -1,
      sd: 5,
      se: 1.58,
      median: -1,
      q1: -4,
      q3: 2,
      min: -9,
      max: 8,
      ciLow: -4.6,
      ciHigh: 2.6
    },
    {
      arm: evil,
      n: 10,
      missing: 1,
      mean: -9,
      sd: 6,
      se: 1.9,
      median: -8,
      q1: -12,
      q3: -5,
      min: -20,
      max: 1,
      ciLow: -13.3,
      ciHigh: -4.7
    }
  ],
  comparisons: [
    {
      arm: evil,
      control: 'placebo',
      method: 'welch_t',
      estimate: -8.123456789,
      ciLow: -13.2,
      ciHigh: -3.0,
      pValue: 0.0042,
      statistic: -3.3,
      df: 17.4,
      pAdjusted: 0.0042,
      note: null
    },
    {
      arm: evil,
      control: 'placebo',
      method: 'mann_whitney',
      estimate: null,
      ciLow: null,
      ciHigh: null,
      pValue: 0.01,
      statistic: 20,
      df: null,
      pAdjusted: null,
      note: null
    }
  ],
  dunnett: null,
  missingArm: 0,
  counterfactual: null,
  baseline: null,
  targetAttainment: null,
  factorial: null,
  source: { kind: 'run', path: 'x.duckdb', runId: '1', replicate: 0 }
};

const report: RunReport = {
  run: {
    runId: 7,
    name: `Trial ${evil}`,
    design: 'parallel',
    seed: 42,
    nTwins: 20,
    replicates: 1,
    arms: ['placebo', evil]
  },
  provenance: {
    appVersion: '0.1.0',
    startedAt: '2026-01-01 10:00:00',
    finishedAt: '2026-01-01 10:00:02',
    seconds: 1.5
  },
  reportVersion: '0.1.0',
  protocolYaml: `name: "Trial ${evil}"\nseed: 42\n`,
  replicate: 0,
  table1: {
    by: 'arm',
    groups: [
      { label: 'placebo', n: 10 },
      { label: evil, n: 10 }
    ],
    rows: [
      {
        name: 'age',
        unit: 'years',
        kind: 'continuous',
        summaries: [
          { n: 10, missing: 0, mean: 60, sd: 8, median: 61, q1: 55, q3: 66, min: 45, max: 75 },
          { n: 10, missing: 0, mean: 62, sd: 7, median: 63, q1: 57, q3: 67, min: 48, max: 77 }
        ]
      }
    ]
  },
  flow: {
    screened: 30,
    enrolled: 20,
    endpoint: 'sbp_change',
    arms: ['placebo', evil].map((arm) => ({
      arm,
      randomised: 10,
      discontinued: 1,
      discontinuedBy: { 'adverse event': 1 },
      rescued: 0,
      lostToFollowUp: 0,
      droppedOut: 0,
      died: 0,
      completed: 10,
      analysed: 10
    }))
  },
  flowChart: {
    title: 'Trial flow',
    description: 'boxes',
    svg: '<svg width="10" height="10"><rect></rect></svg>'
  },
  endpoints: [
    {
      name: 'sbp_change',
      kind: 'continuous',
      primary: true,
      comparison,
      error: null,
      charts: [
        {
          title: 'Forest plot of sbp_change',
          description: 'effects with CIs',
          svg: '<svg width="10" height="10"><circle r="2"></circle></svg>'
        }
      ]
    },
    {
      name: `bad ${evil}`,
      kind: 'tte',
      primary: false,
      comparison: null,
      error: `no events in ${evil}`,
      charts: []
    }
  ]
};

describe('runReportHtml', () => {
  const html = runReportHtml(report);
  const { document } = parseHTML(html);

  it('has every section: run, trial flow, Table 1, comparisons (with charts) and protocol', () => {
    for (const id of ['summary', 'flow', 'table1', 'comparisons', 'protocol'])
      expect(document.getElementById(id), id).not.toBeNull();
    expect(document.querySelector('#summary')!.textContent).toContain('42');
    expect(document.querySelector('#summary')!.textContent).toContain('Twinbench 0.1.0');
    expect(document.querySelector('#summary')!.textContent).toContain('1.5 s');
    expect(document.querySelector('#flow')!.textContent).toContain('by adverse event');
    expect(document.querySelectorAll('#flow figure svg')).toHaveLength(1);
    expect(document.querySelector('#table1')!.textContent).toContain('age (years), mean ± SD');
    expect(document.querySelectorAll('#comparisons figure svg')).toHaveLength(1);
    expect(document.querySelector('#comparisons figcaption')!.textContent).toContain(
      'Forest plot of sbp_change'
    );
    expect(document.querySelector('#protocol pre')!.textContent).toContain(`name: "Trial ${evil}"`);
  });

  it('escapes every user string: no script element, the name shown as text', () => {
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(html).not.toContain('<script>');
    expect(document.querySelector('h1')!.textContent).toBe(`Run #7 Trial ${evil}`);
    expect(document.querySelector('title')!.textContent).toContain(evil);
    expect(document.querySelector('#comparisons .error')!.textContent).toContain(`no events in ${evil}`);
  });

  it('names methods readably and keeps the primary estimate at full precision', () => {
    const primary = document.querySelector('tr.primary [data-field="estimate"]')!;
    expect(primary.getAttribute('data-value')).toBe('-8.123456789');
    expect(document.querySelector('#comparisons')!.textContent).toContain('Welch t-test');
    expect(document.querySelector('#comparisons')!.textContent).toContain('Mann–Whitney (Wilcoxon rank-sum)');
    expect(document.querySelector('#comparisons')!.textContent).not.toContain('welch_t');
  });

  it('has captioned tables with header scopes and no external resources', () => {
    for (const t of document.querySelectorAll('table')) {
      expect(t.querySelector('caption')).not.toBeNull();
      expect(t.querySelectorAll('th:not([scope])')).toHaveLength(0);
    }
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
    );
  });
});
