/**
 * A real patient's records as a fit reads them: covariates, doses and observations, built
 * from a NONMEM-style table of columns (ID, TIME, AMT, DV, EVID, MDV, CMT, RATE, DUR, II,
 * ADDL, SS, BLQ, LLOQ, covariates; the conventions are in docs/calibration.md, "Patient
 * data"). Pure: the file reader (io/patient-data.ts) and a page's pasted table share it.
 * Conventions follow NONMEM's data items (NONMEM Users Guide, Part VI, "Data Preprocessor";
 * Beal SL, J Pharmacokinet Pharmacodyn 2001;28:481–504 for BLQ data).
 */
import { moreProblems } from '../../spec/issues';
import { MAX_DOSES_PER_TWIN, MAX_REPORTED_ISSUES } from '../../spec/limits';
import type { Dose } from '../models/dosing';
import type { ModelDefinition } from '../models/modelDefinition';

export interface PatientRecord {
  /** The data's ID, as text. */
  id: string;
  /** Each covariate column's first non-missing value of this ID. */
  covariates: Record<string, number>;
  doses: Dose[];
  observations: PatientObservations;
}

export interface PatientObservations {
  /** h, sorted ascending */
  time: Float64Array;
  /** index into model.outputs */
  output: Int32Array;
  /** DV (for BLQ rows: the limit) */
  value: Float64Array;
  /** 1 = below the quantification limit (M3) */
  blq: Uint8Array;
  /** NaN when none */
  lloq: Float64Array;
}

export interface PatientRecordOptions {
  /** How a row (0-based) is named in problems; default 'row 1', 'row 2', … */
  rowLabel?: (row: number) => string;
  /** Covariates the model needs: each must be a numeric column with a value for every ID. */
  covariates?: readonly string[];
}

/** A table Twinbench refuses as patient data: every problem with its row and column. */
export class PatientDataError extends Error {
  /** The first MAX_REPORTED_ISSUES problems. */
  readonly problems: string[];
  /** How many more there were. */
  readonly omitted: number;

  constructor(problems: readonly string[], omitted = 0, file?: string) {
    const shown = problems.slice(0, MAX_REPORTED_ISSUES);
    const more = omitted + problems.length - shown.length;
    const lines = shown.map((p) => (file ? `${file}: ${p}` : p));
    super([...lines, ...(more ? [moreProblems(more)] : [])].join('\n'));
    this.name = 'PatientDataError';
    this.problems = shown;
    this.omitted = more;
  }
}

type Value = number | string | null | undefined;
type Columns = Record<string, ArrayLike<Value>>;

/** The data items Twinbench reads, by their (case-insensitive) NONMEM names. */
const ITEMS = [
  'ID',
  'TIME',
  'AMT',
  'DV',
  'EVID',
  'MDV',
  'CMT',
  'RATE',
  'DUR',
  'II',
  'ADDL',
  'SS',
  'BLQ',
  'LLOQ'
] as const;
type Item = (typeof ITEMS)[number];
const REQUIRED: readonly Item[] = ['ID', 'TIME', 'DV'];
/** Items read as numbers (CMT may be a name, ID is text). */
const NUMERIC = ITEMS.filter((i) => i !== 'ID' && i !== 'CMT');

const EVID_OBSERVATION = 0;
const EVID_DOSE = 1;
const EVID_OTHER = 2;
const EVID_ALLOWED = 'EVID must be 0 (observation), 1 (dose) or 2 (other, ignored)';
const EVID_RESETS: Record<number, string> = { 3: 'reset', 4: 'reset and dose' };
/** NONMEM's RATE = −2: the duration is modelled (here: the model's own infusion). */
const RATE_MODELLED = -2;

/** A decimal number as a data file writes it (no hex, no 'Infinity'). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Missing values: empty, NONMEM's '.', R's NA; NaN in a typed array. */
const MISSING = new Set(['', '.', 'NA']);

/** A number, null when missing, undefined when the value is not a number. */
function parseNumber(v: Value): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : Number.isFinite(v) ? v : undefined;
  const s = String(v).trim();
  if (MISSING.has(s)) return null;
  return NUMBER.test(s) ? Number(s) : undefined;
}

function textOf(v: Value): string | null {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  const s = String(v).trim();
  return MISSING.has(s) ? null : s;
}

/** '3' for a number, "'gut'" for a name, as problems quote a value. */
function quoted(v: Value): string {
  const n = parseNumber(v);
  return typeof n === 'number' ? String(n) : `'${String(v).trim()}'`;
}

/**
 * The index of a dose target or output a CMT value names: k (1-based) or the name (exact,
 * else case-insensitive); the first when CMT is missing; -1 when there is none such.
 */
function compartmentIndex(v: Value, names: readonly string[]): number {
  const text = textOf(v);
  if (text === null) return names.length ? 0 : -1;
  const k = parseNumber(v);
  if (typeof k === 'number') return Number.isInteger(k) && k >= 1 && k <= names.length ? k - 1 : -1;
  const exact = names.indexOf(text);
  if (exact >= 0) return exact;
  const folded = names.filter((n) => n.toLowerCase() === text.toLowerCase());
  return folded.length === 1 ? names.indexOf(folded[0]) : -1;
}

function allowedNames(names: readonly string[]): string {
  return names.length ? names.map((n, i) => `${i + 1} or ${n}`).join(', ') : 'none';
}

/** Everything gathered for one ID while its rows are read. */
interface PatientRows {
  id: string;
  firstRow: number;
  lastTime: number;
  /** a row of this ID had a problem: its own checks (observations, covariates) would only repeat it */
  bad: boolean;
  doses: Dose[];
  doseCount: number;
  time: number[];
  output: number[];
  value: number[];
  blq: number[];
  lloq: number[];
  covariates: Record<string, number>;
}

class Problems {
  readonly shown: string[] = [];
  count = 0;
  add(problem: string): void {
    if (this.shown.length < MAX_REPORTED_ISSUES) this.shown.push(problem);
    this.count++;
  }
  throwIfAny(): void {
    if (this.count) throw new PatientDataError(this.shown, this.count - this.shown.length);
  }
}

/**
 * One PatientRecord per ID, in order of each ID's first row. Every problem is collected
 * (the first MAX_REPORTED_ISSUES listed, the rest counted) and thrown as one PatientDataError.
 */
export function patientRecordsFromColumns(
  columns: Columns,
  model: ModelDefinition,
  options: PatientRecordOptions = {}
): PatientRecord[] {
  const label = options.rowLabel ?? ((r: number) => `row ${r + 1}`);
  const problems = new Problems();
  const found = Object.keys(columns);
  const columnList = `(the columns are: ${found.join(', ')})`;

  // Which column is which item (names are case-insensitive); the others are covariates.
  const item = new Map<Item, string>();
  for (const name of found) {
    const key = ITEMS.find((i) => i === name.trim().toUpperCase());
    if (!key) continue;
    const earlier = item.get(key);
    if (earlier !== undefined) problems.add(`columns '${earlier}' and '${name}' both name ${key}`);
    else item.set(key, name);
  }
  for (const key of REQUIRED) if (!item.has(key)) problems.add(`no column ${key} ${columnList}`);
  problems.throwIfAny();
  const rows = columns[item.get('ID')!].length;
  for (const name of found) {
    if (columns[name].length !== rows)
      problems.add(
        `column '${name}' has ${columns[name].length} values, column '${item.get('ID')}' has ${rows}`
      );
  }
  problems.throwIfAny();
  const covariateColumns = found.filter((n) => ![...item.values()].includes(n));
  // Covariates the model needs, by the model's name, matched case-insensitively; a missing
  // one is listed with the rows' problems.
  const needed = new Map<string, string>();
  for (const name of options.covariates ?? []) {
    const column =
      covariateColumns.find((c) => c === name) ??
      covariateColumns.find((c) => c.toLowerCase() === name.toLowerCase());
    if (column === undefined)
      problems.add(`no column ${name} for the covariate the model needs ${columnList}`);
    else needed.set(column, name);
  }

  const col = (key: Item) => (item.has(key) ? columns[item.get(key)!] : undefined);
  const cmt = col('CMT');
  const names = (key: Item) => `'${item.get(key)}'`;
  const has = (key: Item) => item.has(key);
  const targetNames = model.doseTargets.map((t) => t.name);
  const outputNames = model.outputs.map((o) => o.name);
  /** Covariate columns holding text: left out unless needed (then each text value is a problem). */
  const textColumns = new Set<string>();
  const patients = new Map<string, PatientRows>();

  for (let r = 0; r < rows; r++) {
    const where = label(r);
    let bad = false;
    const notNumbers = new Set<string>();
    const number = (column: string): number | null => {
      const raw = columns[column][r];
      const v = parseNumber(raw);
      if (v !== undefined) return v;
      bad = true;
      notNumbers.add(column);
      problems.add(`${where}: column '${column}' holds '${String(raw).trim()}', which is not a number`);
      return null;
    };
    const v = {} as Record<Item, number | null>;
    for (const key of NUMERIC) v[key] = item.has(key) ? number(item.get(key)!) : null;
    const covariates: Record<string, number> = {};
    for (const c of covariateColumns) {
      if (needed.has(c)) {
        const x = number(c);
        if (x !== null) covariates[needed.get(c)!] = x;
        continue;
      }
      const x = parseNumber(columns[c][r]);
      if (x === undefined) textColumns.add(c);
      else if (x !== null) covariates[c] = x;
    }

    const id = textOf(col('ID')![r]);
    if (id === null) {
      problems.add(`${where}: column ${names('ID')} is empty`);
      continue;
    }
    let p = patients.get(id);
    if (!p) {
      p = {
        id,
        firstRow: r,
        lastTime: -Infinity,
        bad: false,
        doses: [],
        doseCount: 0,
        time: [],
        output: [],
        value: [],
        blq: [],
        lloq: [],
        covariates: {}
      };
      patients.set(id, p);
    }
    for (const [name, x] of Object.entries(covariates)) if (!(name in p.covariates)) p.covariates[name] = x;

    // A time that is negative or out of order is a problem, but the row is still checked.
    const time = v.TIME;
    if (time === null && !notNumbers.has(item.get('TIME')!)) {
      problems.add(`${where}: column ${names('TIME')} is empty`);
      bad = true;
    } else if (time !== null && time < 0) {
      problems.add(`${where}: column ${names('TIME')} is ${time}; times must be ≥ 0 (h)`);
      p.bad = true;
    } else if (time !== null && time < p.lastTime) {
      problems.add(
        `${where}: column ${names('TIME')} is ${time}, before the previous time ${p.lastTime} of ID ${id} (times must not decrease within an ID)`
      );
      p.bad = true;
    } else if (time !== null) p.lastTime = time;

    const evid = v.EVID;
    if (evid !== null && evid in EVID_RESETS) {
      problems.add(
        `${where}: column ${names('EVID')} is ${evid} (${EVID_RESETS[evid]}), which is not supported; ${EVID_ALLOWED}`
      );
      bad = true;
    } else if (evid !== null && evid !== EVID_OBSERVATION && evid !== EVID_DOSE && evid !== EVID_OTHER) {
      problems.add(`${where}: column ${names('EVID')} is ${evid}; ${EVID_ALLOWED}`);
      bad = true;
    }
    if (v.MDV !== null && v.MDV !== 0 && v.MDV !== 1) {
      problems.add(`${where}: column ${names('MDV')} is ${v.MDV}; MDV must be 0 or 1`);
      bad = true;
    }
    if (bad) {
      p.bad = true;
      continue;
    }
    const kind = evid ?? (v.AMT !== null && v.AMT > 0 ? EVID_DOSE : EVID_OBSERVATION);
    const rowProblems: string[] = [];
    const context = { where, names, has, model, v, time: time!, cmt: cmt?.[r], targetNames, outputNames };
    if (kind === EVID_DOSE) {
      const doses = doseRow(context, rowProblems);
      if (doses) {
        p.doseCount += doses.count;
        // Expanded only while within the limit: a huge ADDL is counted, never allocated.
        if (p.doseCount <= MAX_DOSES_PER_TWIN) p.doses.push(...doses.expand());
      }
    } else if (kind === EVID_OBSERVATION && v.MDV !== 1) {
      const obs = observationRow(context, rowProblems);
      if (obs) {
        p.time.push(time!);
        p.output.push(obs.output);
        p.value.push(obs.value);
        p.blq.push(obs.blq ? 1 : 0);
        p.lloq.push(obs.lloq);
      }
    }
    if (rowProblems.length) {
      rowProblems.forEach((m) => problems.add(m));
      p.bad = true;
    }
  }

  for (const p of patients.values()) {
    if (p.bad) continue;
    const at = `ID ${p.id}, first at ${label(p.firstRow)}`;
    if (p.doseCount > MAX_DOSES_PER_TWIN)
      problems.add(
        `${at}: ${p.doseCount} doses (additional doses included), more than ${MAX_DOSES_PER_TWIN}`
      );
    if (p.time.length === 0) problems.add(`${at}: no observations`);
    for (const [column, name] of needed) {
      if (!(name in p.covariates))
        problems.add(`${at}: column '${column}' has no value (the model needs covariate ${name})`);
    }
  }
  problems.throwIfAny();

  return [...patients.values()].map((p) => ({
    id: p.id,
    covariates: Object.fromEntries(Object.entries(p.covariates).filter(([c]) => !textColumns.has(c))),
    // Additional doses may fall after later rows' doses; the sort is stable.
    doses: p.doses.sort((a, b) => a.time - b.time),
    observations: {
      time: Float64Array.from(p.time),
      output: Int32Array.from(p.output),
      value: Float64Array.from(p.value),
      blq: Uint8Array.from(p.blq),
      lloq: Float64Array.from(p.lloq)
    }
  }));
}

interface RowContext {
  where: string;
  names: (key: Item) => string;
  has: (key: Item) => boolean;
  model: ModelDefinition;
  v: Record<Item, number | null>;
  time: number;
  cmt: Value;
  targetNames: string[];
  outputNames: string[];
}

/** A dose row: its doses (with ADDL's additional ones) or null, its problems in `out`. */
function doseRow(
  { where, names, model, v, time, cmt, targetNames }: RowContext,
  out: string[]
): { count: number; expand: () => Dose[] } | null {
  const { AMT: amount, RATE: rate, DUR: dur, II: ii, ADDL: addl, SS: ss } = v;
  if (amount === null || amount <= 0)
    out.push(`${where}: column ${names('AMT')} is ${amount ?? 'empty'}; a dose needs an amount > 0`);
  const slot = compartmentIndex(cmt, targetNames);
  if (slot < 0) {
    out.push(
      `${where}: column ${names('CMT')} is ${quoted(cmt)}: not a dose target of model ${model.name} (allowed: ${allowedNames(targetNames)})`
    );
  }
  if (rate !== null && rate < 0 && rate !== RATE_MODELLED) {
    out.push(
      `${where}: column ${names('RATE')} is ${rate}; RATE must be > 0 (amount/h), 0 or empty (no infusion), or -2 (the model's own infusion duration)`
    );
  } else if (rate === RATE_MODELLED && !model.doseInfusions) {
    out.push(
      `${where}: column ${names('RATE')} is -2 (the model's own infusion duration), but model ${model.name} defines no infusion`
    );
  }
  if (dur !== null && dur < 0) out.push(`${where}: column ${names('DUR')} is ${dur}; DUR must be ≥ 0 (h)`);
  else if (dur !== null && dur > 0 && rate !== null && (rate > 0 || rate === RATE_MODELLED)) {
    out.push(
      `${where}: columns ${names('RATE')} and ${names('DUR')} both give an infusion (${rate} and ${dur}); give one of them`
    );
  }
  if (ii !== null && ii < 0) out.push(`${where}: column ${names('II')} is ${ii}; II must be ≥ 0 (h)`);
  const interval = ii !== null && ii > 0 ? ii : 0;
  if (addl !== null && !(Number.isInteger(addl) && addl >= 0)) {
    out.push(`${where}: column ${names('ADDL')} is ${addl}; ADDL must be a whole number ≥ 0`);
  } else if (addl !== null && addl > 0 && !interval && !(ii !== null && ii < 0)) {
    out.push(
      `${where}: column ${names('ADDL')} is ${addl} but II is ${ii ?? 'empty'}: additional doses need an interval II > 0 (h)`
    );
  }
  if (ss !== null && ss !== 0 && ss !== 1)
    out.push(`${where}: column ${names('SS')} is ${ss}; SS must be 0 or 1`);
  else if (ss === 1 && !interval && !(ii !== null && ii < 0)) {
    out.push(
      `${where}: column ${names('SS')} is 1 but II is ${ii ?? 'empty'}: a steady state needs the dosing interval II > 0 (h)`
    );
  } else if (ss === 1 && time !== 0) {
    out.push(`${where}: column ${names('SS')} is 1 at TIME ${time}: a steady-state dose must be at time 0`);
  }
  if (out.length) return null;

  const dose: Dose = { time, amount: amount!, target: targetNames[slot] };
  // RATE > 0: duration AMT/RATE (NONMEM); RATE = −2 or none: the model's own, if it has one.
  if (rate !== null && rate > 0) dose.duration = amount! / rate;
  else if (dur !== null && dur > 0) dose.duration = dur;
  const extra = addl ?? 0;
  return {
    count: 1 + extra,
    expand: () => [
      ss === 1 ? { ...dose, steadyStateInterval: interval } : dose,
      ...Array.from({ length: extra }, (_, k) => ({ ...dose, time: time + (k + 1) * interval }))
    ]
  };
}

/** An observation row: its output, value and BLQ limit, or null with its problems in `out`. */
function observationRow(
  { where, names, has, model, v, cmt, outputNames }: RowContext,
  out: string[]
): { output: number; value: number; blq: boolean; lloq: number } | null {
  const output = compartmentIndex(cmt, outputNames);
  if (output < 0) {
    out.push(
      `${where}: column ${names('CMT')} is ${quoted(cmt)}: not an output of model ${model.name} (allowed: ${allowedNames(outputNames)})`
    );
  }
  const { DV: dv, BLQ: blqFlag, LLOQ: lloq } = v;
  if (blqFlag !== null && blqFlag !== 0 && blqFlag !== 1) {
    out.push(`${where}: column ${names('BLQ')} is ${blqFlag}; BLQ must be 0 or 1`);
    return null;
  }
  if (blqFlag === 1) {
    // Beal's M3: censored at the row's LLOQ, else at DV (NONMEM's convention).
    const limit = lloq ?? dv;
    if (limit === null) {
      out.push(
        has('LLOQ')
          ? `${where}: BLQ = 1 needs a limit: columns ${names('LLOQ')} and ${names('DV')} are both empty`
          : `${where}: BLQ = 1 needs a limit: column ${names('DV')} is empty and there is no LLOQ column`
      );
      return null;
    }
    return out.length ? null : { output, value: limit, blq: true, lloq: limit };
  }
  if (dv === null) {
    out.push(
      `${where}: column ${names('DV')} is empty on an observation (give a value, or BLQ = 1 for one below the quantification limit)`
    );
    return null;
  }
  if (out.length) return null;
  // With an LLOQ column and no BLQ column, a value below the limit is censored at it.
  if (!has('BLQ') && lloq !== null && dv < lloq) return { output, value: lloq, blq: true, lloq };
  return { output, value: dv, blq: false, lloq: lloq ?? NaN };
}
