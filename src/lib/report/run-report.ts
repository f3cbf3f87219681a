import type { Comparison, ComparisonRow } from '../analysis/compare-types';
import { formatNumber, formatP } from '../analysis/compare-format';
import { METHOD_NAMES } from '../analysis/compare-method-names';
import type { RunFlow } from '../analysis/run-flow';
import type { RunProvenance } from '../analysis/run-provenance';
import { table1Lines, type Table1 } from '../analysis/table1';

/**
 * A run's report as one self-contained HTML file: what was run (protocol as YAML, seed, twins,
 * replicates, the app version that ran it and the one that wrote the report, timings), Table 1
 * by arm, the trial flow, every endpoint's comparison with readable method names, and the charts
 * as inline SVG. No script, no stylesheet or image from elsewhere: it opens offline, and reads
 * the same printed. Every string from the user or the data is escaped here.
 */
export interface RunReport {
  run: {
    runId: number;
    name: string;
    design: string;
    seed: number;
    nTwins: number;
    replicates: number;
    arms: string[];
  };
  provenance: RunProvenance;
  /** the app version writing the report */
  reportVersion: string;
  /** the run's resolved protocol as YAML */
  protocolYaml: string;
  /** the replicate compared (0 unless the run has several) */
  replicate: number;
  table1: Table1 | null;
  flow: RunFlow | null;
  /** the trial flow drawn as a CONSORT-style diagram */
  flowChart: ReportChart | null;
  endpoints: ReportEndpoint[];
}

export interface ReportEndpoint {
  name: string;
  /** the protocol's endpoint type (continuous, responder, tte, pk) */
  kind: string;
  primary: boolean;
  comparison: Comparison | null;
  /** why the endpoint could not be compared */
  error: string | null;
  /** the endpoint's charts, each an inline <svg> rendered from the library's plots */
  charts: ReportChart[];
}

export interface ReportChart {
  title: string;
  description: string;
  /** an <svg> element's markup (or Plot's <figure> of legend and <svg>) as Observable Plot rendered it, its text escaped by the DOM */
  svg: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

/** Text escaped for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const e = escapeHtml;
const ADJUST: Record<string, string> = { holm: 'Holm', bonferroni: 'Bonferroni', hochberg: 'Hochberg' };

/** The report's HTML document. */
export function runReportHtml(r: RunReport): string {
  const title = `Run #${r.run.runId} ${r.run.name}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Twinbench ${e(r.reportVersion)}">`,
    `<title>${e(title)} · Twinbench report</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${e(title)}</h1>`,
    summarySection(r),
    flowSection(r.flow, r.flowChart),
    table1Section(r.table1),
    comparisonsSection(r),
    protocolSection(r.protocolYaml),
    '</main>',
    '</body>',
    '</html>',
    ''
  ].join('\n');
}

function summarySection(r: RunReport): string {
  const p = r.provenance;
  const rows: [string, string][] = [
    ['Design', r.run.design],
    ['Arms', r.run.arms.join(', ')],
    ['Twins', r.run.nTwins.toLocaleString('en')],
    ['Seed', String(r.run.seed)],
    ['Replicates', String(r.run.replicates)],
    ...(r.run.replicates > 1 ? [['Replicate compared', String(r.replicate)] as [string, string]] : []),
    ['App version', `Twinbench ${p.appVersion}`],
    ['Started', p.startedAt],
    ['Finished', p.finishedAt ?? '–'],
    ['Run time', p.seconds === null ? '–' : `${formatNumber(p.seconds)} s`],
    ['Report written by', `Twinbench ${r.reportVersion}`]
  ];
  return section(
    'summary',
    'Run',
    `<dl class="facts">${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>` +
      `<p class="note">The protocol below, with this seed and number of twins, reproduces every number in this report.</p>`
  );
}

function flowSection(flow: RunFlow | null, chart: ReportChart | null): string {
  if (!flow || flow.arms.length === 0)
    return section('flow', 'Trial flow', '<p>This run has no trial flow (no stored assignments).</p>');
  const screening =
    flow.screened === null
      ? ''
      : `<p>Screened ${e(String(flow.screened))} candidates, enrolled ${e(String(flow.enrolled ?? '–'))} twins.</p>`;
  const reasons = [...new Set(flow.arms.flatMap((a) => Object.keys(a.discontinuedBy)))].sort();
  type Arm = RunFlow['arms'][number];
  const line = (label: string, count: (a: Arm) => number, sub = false) => ({ label, count, sub });
  const lines = [
    line('Randomised', (a) => a.randomised),
    line('Discontinued treatment', (a) => a.discontinued),
    ...reasons.map((k) => line(`by ${k}`, (a) => a.discontinuedBy[k] ?? 0, true)),
    line('Rescued', (a) => a.rescued),
    line('Lost to follow-up', (a) => a.lostToFollowUp),
    line('Dropped out', (a) => a.droppedOut),
    line('Died', (a) => a.died),
    line('Completed', (a) => a.completed),
    line(`Analysed${flow.endpoint ? ` (${flow.endpoint})` : ''}`, (a) => a.analysed)
  ];
  const head = `<tr><th scope="col">Twins</th>${flow.arms.map((a) => `<th scope="col">${e(a.arm)}</th>`).join('')}</tr>`;
  const body = lines
    .map(
      ({ label, count, sub }) =>
        `<tr${sub ? ' class="sub"' : ''}><th scope="row">${e(label)}</th>${flow.arms
          .map((a) => `<td>${count(a)}</td>`)
          .join('')}</tr>`
    )
    .join('\n');
  return section(
    'flow',
    'Trial flow',
    screening +
      (chart ? chartFigure(chart) : '') +
      tableHtml('Twins in each arm at each stage (CONSORT-style), replicate 0', head, body, 'flow-table')
  );
}

function table1Section(t: Table1 | null): string {
  if (!t) return section('table1', 'Table 1 by arm', "<p>The run's cohort is no longer stored.</p>");
  const head = `<tr><th scope="col"></th>${t.groups.map((g) => `<th scope="col">${e(g.label)}</th>`).join('')}</tr>`;
  const body = table1Lines(t)
    .map(
      (l) =>
        `<tr${l.label.startsWith('  ') ? ' class="sub"' : ''}><th scope="row">${e(l.label.trim())}</th>${l.cells
          .map((c) => `<td>${e(c)}</td>`)
          .join('')}</tr>`
    )
    .join('\n');
  return section(
    'table1',
    'Table 1 by arm',
    tableHtml('Baseline covariates of the twins by assigned arm', head, body, 'table1')
  );
}

function comparisonsSection(r: RunReport): string {
  const parts = r.endpoints.map((ep) => {
    const heading = `<h3>${e(ep.name)} <small>${e(ep.kind)} · ${ep.primary ? 'primary' : 'secondary'} endpoint</small></h3>`;
    if (!ep.comparison)
      return `<section class="endpoint">${heading}<p class="error">Not compared: ${e(ep.error ?? 'no data')}</p></section>`;
    return `<section class="endpoint" data-endpoint="${e(ep.name)}">${heading}${armTable(ep.comparison)}${comparisonTable(ep.comparison)}${ep.charts.map(chartFigure).join('\n')}</section>`;
  });
  return section('comparisons', 'Comparisons', parts.join('\n'));
}

function armTable(c: Comparison): string {
  const pct = Math.round(c.confLevel * 100);
  const columns: [string, (a: Comparison['arms'][number]) => string][] =
    c.type === 'continuous'
      ? [
          ['n', (a) => String(a.n)],
          ['mean', (a) => formatNumber('mean' in a ? a.mean : null)],
          ['SD', (a) => formatNumber('sd' in a ? a.sd : null)],
          ['median', (a) => formatNumber('median' in a ? a.median : null)],
          [`${pct}% CI of the mean`, (a) => `${formatNumber(a.ciLow)} to ${formatNumber(a.ciHigh)}`]
        ]
      : c.type === 'binary'
        ? [
            ['n', (a) => String(a.n)],
            ['responders', (a) => String('events' in a ? a.events : '–')],
            ['proportion', (a) => formatNumber('proportion' in a ? a.proportion : null)],
            [`${pct}% CI (Wilson)`, (a) => `${formatNumber(a.ciLow)} to ${formatNumber(a.ciHigh)}`]
          ]
        : [
            ['n', (a) => String(a.n)],
            ['events', (a) => String('events' in a ? a.events : '–')],
            ['KM median (h)', (a) => formatNumber('median' in a ? a.median : null)],
            [`${pct}% CI`, (a) => `${formatNumber(a.ciLow)} to ${formatNumber(a.ciHigh)}`]
          ];
  const head = `<tr><th scope="col">arm</th>${columns.map(([h]) => `<th scope="col">${e(h)}</th>`).join('')}<th scope="col">missing</th></tr>`;
  const body = c.arms
    .map(
      (a) =>
        `<tr><th scope="row">${e(a.arm)}</th>${columns.map(([, f]) => `<td>${e(f(a))}</td>`).join('')}<td>${a.missing}</td></tr>`
    )
    .join('\n');
  return tableHtml(`${c.endpoint} by arm`, head, body);
}

/** Every method for each active arm against the control, as the Compare page's table (arms in the comparison's order). */
function comparisonTable(c: Comparison): string {
  const pct = Math.round(c.confLevel * 100);
  const family = (m: string) => (m.startsWith('odds_ratio') ? 'odds_ratio' : m);
  const rows = c.comparisons.filter((r) => r.method !== 'km_median');
  const head =
    `<tr><th scope="col">arm vs ${e(c.control)}</th><th scope="col">method</th><th scope="col">estimate</th>` +
    `<th scope="col">${pct}% CI</th><th scope="col">statistic</th><th scope="col">df</th><th scope="col">p</th>` +
    `<th scope="col">p adj (${e(ADJUST[c.adjust] ?? c.adjust)})</th></tr>`;
  const body = rows
    .map((r: ComparisonRow) => {
      const primary = family(r.method) === family(c.primary);
      const ci =
        r.ciLow === null && r.ciHigh === null ? '—' : `${formatNumber(r.ciLow)} to ${formatNumber(r.ciHigh)}`;
      return (
        `<tr${primary ? ' class="primary"' : ''} data-arm="${e(r.arm)}" data-method="${e(r.method)}">` +
        `<th scope="row">${e(r.arm)}</th><td class="text">${e(METHOD_NAMES[r.method] ?? r.method)}${primary ? ' <span class="badge">primary</span>' : ''}${r.note ? ` <span class="note">(${e(r.note)})</span>` : ''}</td>` +
        `<td data-field="estimate" data-value="${r.estimate ?? ''}">${formatNumber(r.estimate)}</td>` +
        `<td>${ci}</td><td>${formatNumber(r.statistic)}</td><td>${formatNumber(r.df)}</td>` +
        `<td data-field="p" data-value="${r.pValue ?? ''}">${formatP(r.pValue)}</td>` +
        `<td>${primary ? formatP(r.pAdjusted) : ''}</td></tr>`
      );
    })
    .join('\n');
  const note =
    `<p class="note">Primary method: ${e(METHOD_NAMES[c.primary] ?? c.primary)}, its p-values adjusted for ` +
    `multiplicity (${e(ADJUST[c.adjust] ?? c.adjust)}).${c.baseline ? ` ANCOVA adjusts for ${e(c.baseline)}.` : ''}</p>`;
  return tableHtml(`${c.endpoint}: each arm vs ${c.control}`, head, body, 'comparison-table') + note;
}

function chartFigure(c: ReportChart): string {
  return `<figure class="chart" role="img" aria-label="${e(c.title)}: ${e(c.description)}">${c.svg}<figcaption>${e(c.title)}: ${e(c.description)}</figcaption></figure>`;
}

function protocolSection(yaml: string): string {
  return section('protocol', 'Protocol', `<pre class="yaml">${e(yaml)}</pre>`);
}

function section(id: string, heading: string, content: string): string {
  return `<section id="${id}">\n<h2>${e(heading)}</h2>\n${content}\n</section>`;
}

function tableHtml(caption: string, head: string, body: string, testId?: string): string {
  return (
    `<div class="scroll"><table${testId ? ` data-testid="${testId}"` : ''}><caption>${e(caption)}</caption>` +
    `<thead>${head}</thead><tbody>\n${body}\n</tbody></table></div>`
  );
}

/** The report's own styles: system fonts, tables that scroll in their box, charts that fit. */
const STYLE = `
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1d2b36; background: #fff; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; border-top: 1px solid #d5dde5; padding-top: 0.8rem; margin-top: 1.8rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; overflow-wrap: anywhere; }
h3 small { color: #6b7b8b; font-weight: normal; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0; }
.facts dt { color: #4a5a6a; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; margin: 0.5rem 0; }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: #4a5a6a; font-size: 0.8rem; padding-bottom: 0.2rem; }
th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #e5eaef; text-align: right; white-space: nowrap; }
th[scope="row"], thead th:first-child, td.text { text-align: left; }
tr.sub th { padding-left: 1.4rem; font-weight: normal; color: #4a5a6a; }
tr.primary { background: #eef5fa; }
.badge { font-size: 0.7rem; background: #2a6f97; color: #fff; border-radius: 3px; padding: 0 0.3rem; }
.note { font-size: 0.8rem; color: #4a5a6a; }
.error { color: #9b1c1c; }
figure.chart { margin: 0.8rem 0; max-width: 100%; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8rem; color: #4a5a6a; }
pre.yaml { background: #f4f6f8; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
@media print { .scroll { overflow: visible; } }
`;
