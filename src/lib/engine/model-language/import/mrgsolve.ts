/**
 * mrgsolve model files (`.cpp`, `.mod`) → `ImportedModel`. Blocks are `$NAME` or
 * `[ NAME ]` at the start of a line. Data blocks ($PARAM, $FIXED, $INPUT, $CMT,
 * $INIT, $OMEGA, $SIGMA, $CAPTURE, $PKMODEL) are read as values; code blocks ($MAIN
 * or $PK, $ODE or $DES, $TABLE or $ERROR) as C++ statements. $PROB gives the title;
 * $SET (simulation settings) is left out with a note; any other block is refused.
 * Reference: mrgsolve user guide, https://mrgsolve.org/user-guide/ (model specification).
 */
import { Cursor } from './cursor';
import { Flattener } from './flatten';
import {
  CONCENTRATION,
  emptyModel,
  type ErrorText,
  type ImportedModel,
  type PkDeclaration,
  type SourceOutput,
  type SourceParameter
} from './imported-model';
import { parseExpr } from './parse-expr';
import { constantValue, namesIn, printExpr, substitute, TIME, type SourceExpr } from './source-expr';
import { parseCStatements } from './statements';
import { SourceError, tokenize, type Token } from './tokens';

interface Block {
  name: string;
  options: Set<string>;
  /** Offsets of the block's content in the file. */
  from: number;
  to: number;
  offset: number;
}

type Section = 'main' | 'ode' | 'table';
const CODE_BLOCKS: Record<string, Section> = {
  MAIN: 'main',
  PK: 'main',
  ODE: 'ode',
  DES: 'ode',
  TABLE: 'table',
  ERROR: 'table'
};
const DATA_BLOCKS = new Set([
  'PARAM',
  'FIXED',
  'INPUT',
  'CMT',
  'INIT',
  'OMEGA',
  'SIGMA',
  'CAPTURE',
  'PKMODEL',
  'PROB',
  'PROBLEM',
  'SET',
  'THETA'
]);

export function importMrgsolve(text: string, name: string): ImportedModel {
  const blocks = splitBlocks(text);
  // mrgsolve's default tolerances (mrgsolve user guide, $SET / solver settings).
  const model = emptyModel('mrgsolve', name, 'imported from an mrgsolve model file', {
    rtol: 1e-8,
    atol: 1e-8
  });

  const flat = new Flattener<Section>();
  const captured: { name: string; source: string; offset: number }[] = [];
  let pkBlock: Block | undefined;
  const sigma: { variances: number[]; covariances: { i: number; j: number; value: number }[] } = {
    variances: [],
    covariances: []
  };
  const aliases = new Map<string, string>();
  for (const b of blocks) {
    const section = CODE_BLOCKS[b.name];
    if (section) {
      const c = new Cursor(tokenize(text, 'c', b.from, b.to), 'c');
      flat.run(
        parseCStatements(c).map((s) => s),
        section
      );
      if (c.peek().type !== 'end') throw c.unexpected(c.peek(), 'a statement');
      continue;
    }
    if (!DATA_BLOCKS.has(b.name))
      throw new SourceError(`mrgsolve construct '$${b.name}' is not supported`, b.offset);
    const tokens = tokenize(text, 'c', b.from, b.to);
    switch (b.name) {
      case 'PROB':
      case 'PROBLEM': {
        const line = text.slice(b.from, b.to).trim().split('\n')[0]?.trim();
        if (line) model.title = line.replace(/"/g, "'");
        break;
      }
      case 'SET': {
        // The solver's tolerances are kept; the other settings (end, delta…) belong to a run.
        const body = text.slice(b.from, b.to);
        for (const key of ['rtol', 'atol'] as const) {
          const m = new RegExp(`\\b${key}\\s*=\\s*([0-9.eE+-]+)`).exec(body);
          if (m && Number(m[1]) > 0) model.tolerance[key] = Number(m[1]);
        }
        if (/\b(?!rtol|atol)[A-Za-z_]+\s*=/.test(body.replace(/\b[ra]tol\s*=/g, '')))
          model.notes.push(
            '$SET: settings other than rtol and atol belong to a run, not to the model (give times with --times).'
          );
        break;
      }
      case 'PARAM':
      case 'FIXED':
      case 'INPUT':
        model.parameters.push(...namedValues(text, b, tokens));
        break;
      case 'INIT':
        for (const p of namedValues(text, b, tokens))
          model.compartments.push({
            name: p.name,
            initial: { k: 'num', value: p.value, offset: b.offset },
            description: p.description
          });
        break;
      case 'CMT':
        for (const n of names(text, b, tokens))
          model.compartments.push({ name: n.name, description: n.description });
        break;
      case 'CAPTURE':
        for (const n of names(text, b, tokens, true))
          captured.push({ name: n.name, source: n.source ?? n.name, offset: n.offset });
        break;
      case 'OMEGA': {
        const m = matrix(text, b, tokens);
        const first = model.etas.length;
        m.variances.forEach((v, i) => {
          const n = first + i + 1;
          model.etas.push({ name: `@ETA${n}`, shown: `ETA(${n})`, variance: v });
          if (m.labels[i]) aliases.set(m.labels[i], `@ETA${n}`);
        });
        for (const c of m.covariances)
          model.covariances.push({
            a: `@ETA${first + c.i + 1}`,
            b: `@ETA${first + c.j + 1}`,
            value: c.value,
            offset: b.offset
          });
        break;
      }
      case 'SIGMA': {
        const m = matrix(text, b, tokens);
        const first = sigma.variances.length;
        sigma.variances.push(...m.variances);
        m.labels.forEach((l, i) => l && aliases.set(l, `@EPS${first + i + 1}`));
        sigma.covariances.push(
          ...m.covariances.map((c) => ({ i: c.i + first, j: c.j + first, value: c.value }))
        );
        break;
      }
      case 'THETA': {
        // $THETA values are the parameters THETA1, THETA2… (mrgsolve's default names).
        const values = matrix(text, { ...b, options: new Set() }, tokens).variances;
        const first = model.parameters.filter((p) => /^THETA\d+$/.test(p.name)).length;
        values.forEach((value, i) =>
          model.parameters.push({ name: `THETA${first + i + 1}`, value, description: '' })
        );
        break;
      }
      case 'PKMODEL':
        pkBlock = b;
    }
  }
  if (sigma.covariances.some((c) => c.value !== 0))
    throw new SourceError(
      `mrgsolve construct 'correlated $SIGMA' is not supported (each output's residual error is its own)`,
      blocks.find((b) => b.name === 'SIGMA')!.offset
    );

  // Labels of $OMEGA/$SIGMA rows are aliases of ETA(n)/EPS(n).
  const alias = (e: SourceExpr) =>
    substitute(e, (n, at) => (aliases.has(n) ? { ...at, name: aliases.get(n)! } : at));
  for (const d of flat.definitions) d.expr = alias(d.expr);

  const compartmentNames = new Set(model.compartments.map((c) => c.name));
  const take = (base: string) => flat.take(base);
  // Special names: dxdt_X, X_0, and the dose settings F_X, ALAG_X, D_X, R_X.
  for (const c of model.compartments) {
    const ddt = take(`dxdt_${c.name}`);
    if (ddt) model.derivatives.push({ state: c.name, expr: ddt.expr, offset: ddt.offset });
    const init = take(`${c.name}_0`);
    if (init) c.initial = init.expr;
  }
  for (const d of flat.remaining()) {
    const m = /^dxdt_(.+)$/.exec(d.base);
    if (m && !compartmentNames.has(m[1]))
      throw new SourceError(
        `'${d.base}' is the derivative of '${m[1]}', which $CMT and $INIT do not declare`,
        d.offset
      );
  }
  const bioavailability = new Map(model.compartments.map((c) => [c.name, take(`F_${c.name}`)?.expr]));
  const lag = new Map(model.compartments.map((c) => [c.name, take(`ALAG_${c.name}`)?.expr]));
  // D_X and R_X: an infusion the model defines (in mrgsolve for doses with rate -2 or -1;
  // in the model language for every dose given without its own duration).
  const infusion = new Map(
    model.compartments.map((c) => {
      const [duration, rate] = [take(`D_${c.name}`), take(`R_${c.name}`)];
      if (duration && rate)
        throw new SourceError(
          `D_${c.name} and R_${c.name}: a dose target's infusion has a duration or a rate, not both`,
          rate.offset
        );
      return [c.name, { duration: duration?.expr, rate: rate?.expr, at: (duration ?? rate)?.offset }];
    })
  );

  if (pkBlock) declarePk(model, pkBlock, text, flat, bioavailability, lag);
  const pkInfusion = [...infusion].find(
    ([n, i]) => i.at !== undefined && !model.compartments.some((c) => c.name === n)
  );
  if (pkInfusion)
    throw new SourceError(
      `mrgsolve construct 'D_ or R_${pkInfusion[0]}' is not supported with $PKMODEL (give the infusion with the dose)`,
      pkInfusion[1].at!
    );
  if (!pkBlock)
    model.doses = model.compartments.map((c) => ({
      name: c.name,
      state: c.name,
      F: bioavailability.get(c.name),
      lag: lag.get(c.name),
      duration: infusion.get(c.name)?.duration,
      rate: infusion.get(c.name)?.rate,
      offset: 0
    }));
  model.definitions = flat.remaining();

  // Outputs: captured names, with residual error where EPS(n) follows a recognised pattern.
  const outputs: SourceOutput[] = [];
  for (const d of model.definitions)
    if (flat.captured.has(d.base) && d.key === flat.current(d.base))
      captured.push({ name: d.base, source: d.base, offset: d.offset });
  for (const c of captured) {
    const key = flat.current(c.source);
    const known =
      key ??
      (compartmentNames.has(c.source) || model.parameters.some((p) => p.name === c.source)
        ? c.source
        : undefined);
    if (!known) throw new SourceError(`$CAPTURE names '${c.source}', which no statement assigns`, c.offset);
    if (outputs.some((o) => o.name === c.name)) continue;
    outputs.push({ name: c.name, expr: { k: 'name', name: known, offset: c.offset }, offset: c.offset });
  }
  if (!outputs.length)
    for (const c of model.compartments)
      outputs.push({ name: c.name, expr: { k: 'name', name: c.name, offset: 0 }, offset: 0 });
  model.outputs = outputs;
  residualErrors(model, sigma.variances);
  checkNames(model);
  return model;
}

/** Every name read is declared (C++ would not compile otherwise); ETA(n) within $OMEGA. */
function checkNames(model: ImportedModel): void {
  const known = new Set<string>([
    TIME,
    CONCENTRATION,
    ...model.parameters.map((p) => p.name),
    ...model.compartments.map((c) => c.name),
    ...model.etas.map((e) => e.name)
  ]);
  const check = (e: SourceExpr | undefined, what = '') =>
    e &&
    substitute(e, (name, at) => {
      if (known.has(name) || name.includes('#')) return at;
      if (name.startsWith('@ETA'))
        throw new SourceError(`ETA(${name.slice(4)}) but $OMEGA declares ${model.etas.length}`, at.offset);
      throw new SourceError(`unknown name '${name}'${what}`, at.offset);
    });
  model.definitions.forEach((d) => check(d.expr));
  model.derivatives.forEach((d) => check(d.expr));
  model.outputs.forEach((o) => check(o.expr));
  model.compartments.forEach((c) => check(c.initial));
  model.doses.forEach((d) => [d.F, d.lag].forEach((e) => check(e)));
  model.pk?.args.forEach(([, e]) => check(e, ' ($PKMODEL needs it as a parameter or a $MAIN variable)'));
}

/** `$PKMODEL ncmt = 2, depot = TRUE`: the closed-form PK, its compartments taken out of $CMT. */
function declarePk(
  model: ImportedModel,
  b: Block,
  text: string,
  flat: Flattener<Section>,
  bioavailability: Map<string, SourceExpr | undefined>,
  lag: Map<string, SourceExpr | undefined>
): void {
  const c = new Cursor(tokenize(text, 'c', b.from, b.to), 'c');
  const opts = new Map<string, Token>();
  for (;;) {
    c.skipNewlines();
    if (c.peek().type === 'end') break;
    const key = c.next();
    if (key.type !== 'name') throw c.unexpected(key, 'an option such as ncmt = 2');
    c.skipNewlines();
    c.expect('=');
    c.skipNewlines();
    opts.set(key.value, c.next());
    c.skipNewlines();
    c.accept(',');
  }
  const ncmt = Number(opts.get('ncmt')?.value ?? 1);
  const depot = ['TRUE', 'true', 'T'].includes(opts.get('depot')?.value ?? 'FALSE');
  const trans = Number(opts.get('trans')?.value ?? (ncmt === 1 ? 2 : 4));
  if (ncmt !== 1 && ncmt !== 2) throw new SourceError(`$PKMODEL ncmt is 1 or 2`, b.offset);
  if (trans === 1)
    throw new SourceError(
      `mrgsolve construct '$PKMODEL trans = 1' is not supported (use trans = 2, 4 or 11)`,
      b.offset
    );
  const suffix = trans === 11 ? 'i' : '';
  const n = ncmt + (depot ? 1 : 0);
  const listed = opts.get('cmt');
  const names = listed
    ? listed.value.split(/[\s,]+/).filter(Boolean)
    : model.compartments.slice(0, n).map((x) => x.name);
  if (names.length < n)
    throw new SourceError(
      `$PKMODEL ncmt = ${ncmt}${depot ? ' with a depot' : ''} needs ${n} compartments, first in $CMT`,
      b.offset
    );
  const pkNames = names.slice(0, n);
  model.compartments = model.compartments.filter((x) => !pkNames.includes(x.name));
  // mrgsolve's symbols (user guide, $PKMODEL) → the model language's pk arguments.
  const symbols: [string, string][] =
    ncmt === 1
      ? [['CL', 'CL'], ['V', 'V'], ...(depot ? ([['KA', 'KA']] as [string, string][]) : [])]
      : depot
        ? [
            ['CL', 'CL'],
            ['V1', 'V2'],
            ['Q', 'Q'],
            ['V2', 'V3'],
            ['KA', 'KA']
          ]
        : [
            ['CL', 'CL'],
            ['V1', 'V1'],
            ['Q', 'Q'],
            ['V2', 'V2']
          ];
  const ref = (symbol: string): SourceExpr => ({
    k: 'name',
    name: flat.current(symbol) ?? symbol,
    offset: b.offset
  });
  const args: [string, SourceExpr][] = symbols.map(([arg, symbol]) => [arg, ref(symbol + suffix)]);
  const [depotName, central] = depot ? pkNames : [undefined, pkNames[0]];
  const pk: PkDeclaration = { compartments: ncmt, route: depot ? 'oral' : 'iv', args, offset: b.offset };
  if (depotName) {
    pk.F = bioavailability.get(depotName);
    pk.TLAG = lag.get(depotName);
  }
  model.pk = pk;
  model.notes.push(
    `$PKMODEL: the dose targets are ${depot ? `depot (${depotName}) and ` : ''}central (${central}).`
  );
  // The central amount is the concentration times the central volume; other PK amounts are not available.
  const volume = args.find(([a]) => a === 'V' || a === 'V1')![1];
  const amount: SourceExpr = {
    k: 'bin',
    op: '*',
    a: { k: 'name', name: CONCENTRATION, offset: b.offset },
    b: volume,
    offset: b.offset
  };
  const replace = (e: SourceExpr) =>
    substitute(e, (name, at) => {
      if (name === central) return amount;
      if (pkNames.includes(name))
        throw new SourceError(
          `the amount in '${name}' is not available with $PKMODEL (only the central amount, as concentration times volume)`,
          at.offset
        );
      return at;
    });
  for (const d of flat.definitions) d.expr = concentration(replace(d.expr), volume);
  for (const d of model.derivatives) d.expr = concentration(replace(d.expr), volume);
  for (const x of pkNames)
    model.derivatives.forEach((d) => {
      if (d.state === x) throw new SourceError(`dxdt_${x}: '${x}' belongs to $PKMODEL`, d.offset);
    });
}

/** `… * C * V * … / V` → `… * C * …`: mrgsolve's `CENT / V` read back as the closed form's C. */
function concentration(e: SourceExpr, volume: SourceExpr): SourceExpr {
  const same = (a: SourceExpr, b: SourceExpr) => printExpr(a, String) === printExpr(b, String);
  const factors = (x: SourceExpr): SourceExpr[] =>
    x.k === 'bin' && x.op === '*' ? [...factors(x.a), ...factors(x.b)] : [x];
  const f = (x: SourceExpr): SourceExpr => {
    if (x.k === 'bin' && x.op === '/' && same(x.b, volume)) {
      const list = factors(x.a);
      const v = list.findIndex((y) => same(y, volume));
      if (v >= 0 && list.some((y) => y.k === 'name' && y.name === CONCENTRATION)) {
        const rest = list.filter((_, i) => i !== v);
        return f(rest.reduce((a, b) => ({ k: 'bin', op: '*', a, b, offset: x.offset })));
      }
    }
    if (x.k === 'bin') return { ...x, a: f(x.a), b: f(x.b) };
    if (x.k === 'call') return { ...x, args: x.args.map(f) };
    if (x.k === 'neg' || x.k === 'not') return { ...x, a: f(x.a) };
    if (x.k === 'if') return { ...x, c: f(x.c), a: f(x.a), b: f(x.b) };
    return x;
  };
  return f(e);
}

/** `NAME = value, …` or, with @annotated, `NAME : value : description` lines. */
function namedValues(text: string, b: Block, tokens: Token[]): (SourceParameter & { offset: number })[] {
  const out: (SourceParameter & { offset: number })[] = [];
  const c = new Cursor(tokens, 'c');
  while (c.nextItem()) {
    const name = c.next();
    if (name.type !== 'name') throw c.unexpected(name, 'a name');
    const annotated = c.isOp(':');
    if (!annotated) c.expect('=');
    else c.next();
    const e = parseValue(c);
    const value = constantValue(e);
    if (value === undefined) throw new SourceError(`the value of '${name.value}' must be a number`, e.offset);
    let description = '';
    if (annotated && c.isOp(':')) description = restOfLine(text, c);
    out.push({ name: name.value, value, description, offset: name.offset });
  }
  return out;
}

/** An expression up to a comma or the end of its line (values in data blocks). */
function parseValue(c: Cursor): SourceExpr {
  const at = c.k;
  let end = at;
  while (
    !['newline', 'end'].includes(c.tokens[end].type) &&
    !(c.tokens[end].type === 'op' && [',', ':'].includes(c.tokens[end].value))
  )
    end++;
  const sub = new Cursor(
    [...c.tokens.slice(at, end), { type: 'end', value: '', offset: c.tokens[end].offset }],
    'c'
  );
  const e = parseExpr(sub);
  if (sub.peek().type !== 'end') throw sub.unexpected(sub.peek(), 'a value');
  c.k = end;
  return e;
}

function restOfLine(text: string, c: Cursor): string {
  const colon = c.next();
  let k = c.k;
  while (!['newline', 'end'].includes(c.tokens[k].type)) k++;
  const end = c.tokens[k].offset;
  c.k = k;
  return text
    .slice(colon.offset + 1, end)
    .replace(/\/\/.*$/, '')
    .trim()
    .replace(/"/g, "'");
}

/** Names separated by spaces, commas or lines; with @annotated `NAME : description`; in $CAPTURE also `new = old`. */
function names(text: string, b: Block, tokens: Token[], renames = false) {
  const out: { name: string; source?: string; description: string; offset: number }[] = [];
  const c = new Cursor(tokens, 'c');
  while (c.nextItem()) {
    const name = c.next();
    if (name.type !== 'name') throw c.unexpected(name, 'a name');
    let source: string | undefined;
    if (renames && c.accept('=')) {
      const s = c.next();
      if (s.type !== 'name') throw c.unexpected(s, 'a name');
      source = s.value;
    }
    const description = c.isOp(':') ? restOfLine(text, c) : '';
    out.push({ name: name.value, source, description, offset: name.offset });
  }
  return out;
}

/**
 * $OMEGA / $SIGMA: a diagonal (numbers), or with @block the lower triangle row by row,
 * with @correlation its off-diagonals as correlations; @annotated rows `NAME : value : …`
 * and @labels give the rows names usable in the code.
 */
function matrix(text: string, b: Block & { labelList?: string[] }, tokens: Token[]) {
  const c = new Cursor(tokens, 'c');
  const values: number[] = [];
  const labels: string[] = [...(b.labelList ?? [])];
  while (c.nextItem()) {
    if (b.options.has('annotated') && c.peek().type === 'name') {
      labels.push(c.next().value);
      c.expect(':');
      const e = parseValue(c);
      values.push(constantValue(e) ?? NaN);
      if (c.isOp(':')) restOfLine(text, c);
      continue;
    }
    // Numbers separated by spaces: a sign belongs to the number after it.
    const sign = c.accept('-') ? -1 : 1;
    const t = c.next();
    const v = t.type === 'number' ? Number(t.value) : NaN;
    if (!Number.isFinite(v)) throw c.unexpected(t, 'a number');
    values.push(sign * v);
  }
  const variances: number[] = [];
  const covariances: { i: number; j: number; value: number }[] = [];
  if (!b.options.has('block')) variances.push(...values);
  else {
    const n = Math.round((Math.sqrt(8 * values.length + 1) - 1) / 2);
    if ((n * (n + 1)) / 2 !== values.length)
      throw new SourceError(
        `a @block matrix needs a lower triangle (1, 3, 6, 10… numbers), got ${values.length}`,
        b.offset
      );
    let k = 0;
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      rows.push(values.slice(k, k + i + 1));
      k += i + 1;
    }
    rows.forEach((r, i) => variances.push(r[i]));
    const corr = b.options.has('correlation') || b.options.has('cor');
    rows.forEach((r, i) =>
      r.slice(0, i).forEach((v, j) => {
        if (v !== 0) covariances.push({ i, j, value: corr ? v * Math.sqrt(variances[i] * variances[j]) : v });
      })
    );
  }
  variances.forEach((v) => {
    if (!(v >= 0)) throw new SourceError(`a variance must be a number ≥ 0, got ${v}`, b.offset);
  });
  return { variances, covariances, labels };
}

/**
 * EPS(n) in a captured quantity, in the patterns that are residual error models:
 * `F + EPS(a)` additive, `F*(1+EPS(p))` proportional, `F*(1+EPS(p)) + EPS(a)` combined,
 * `F*exp(EPS(e))` exponential; the output shows F with that error.
 */
function residualErrors(model: ImportedModel, variances: number[]): void {
  const sd = (name: string, offset: number) => {
    const n = Number(name.slice(4));
    if (!(n <= variances.length))
      throw new SourceError(`EPS(${n}) but $SIGMA declares ${variances.length}`, offset);
    return Math.sqrt(variances[n - 1]);
  };
  const isEps = (e: SourceExpr): e is Extract<SourceExpr, { k: 'name' }> =>
    e.k === 'name' && e.name.startsWith('@EPS');
  const onePlusEps = (e: SourceExpr) =>
    e.k === 'bin' && e.op === '+' && e.a.k === 'num' && e.a.value === 1 && isEps(e.b) ? e.b : undefined;
  const expEps = (e: SourceExpr) =>
    e.k === 'call' && e.fn === 'exp' && isEps(e.args[0]) ? e.args[0] : undefined;
  const split = (e: SourceExpr): { f: SourceExpr; error: ErrorText } | undefined => {
    if (e.k === 'bin' && e.op === '+' && isEps(e.b)) {
      const inner = split(e.a);
      if (inner?.error.type === 'proportional')
        return {
          f: inner.f,
          error: { type: 'combined', additive: sd(e.b.name, e.offset), proportional: inner.error.sd }
        };
      return inner ? undefined : { f: e.a, error: { type: 'additive', sd: sd(e.b.name, e.offset) } };
    }
    if (e.k === 'bin' && e.op === '*') {
      for (const [f, g] of [
        [e.a, e.b],
        [e.b, e.a]
      ]) {
        const p = onePlusEps(g);
        if (p) return { f, error: { type: 'proportional', sd: sd(p.name, e.offset) } };
        const x = expEps(g);
        if (x) return { f, error: { type: 'exponential', sd: sd(x.name, e.offset) } };
      }
    }
    return undefined;
  };
  const hasEps = (e: SourceExpr) => namesIn(e).some((n) => n.startsWith('@EPS'));
  for (const o of model.outputs) {
    if (o.expr.k !== 'name') continue;
    const key = o.expr.name;
    const d = model.definitions.find((x) => x.key === key);
    if (!d || !hasEps(d.expr)) continue;
    const s = split(d.expr);
    if (!s || hasEps(s.f)) continue;
    d.expr = s.f;
    o.error = s.error;
  }
  for (const d of model.definitions)
    if (hasEps(d.expr))
      throw new SourceError(
        `EPS() is translated only as a captured quantity's residual error (F + EPS(1), F*(1 + EPS(1)), F*exp(EPS(1)), or F*(1 + EPS(1)) + EPS(2))`,
        d.offset
      );
}

/** `$NAME` or `[ NAME ]` at the start of a line; options `@name` on that line or the lines after. */
function splitBlocks(text: string): (Block & { labelList?: string[] })[] {
  const re = /^[ \t]*(?:\$([A-Za-z]+)|\[[ \t]*([A-Za-z]+)[ \t]*\])/gm;
  const heads: { name: string; offset: number; after: number }[] = [];
  for (let m; (m = re.exec(text));)
    heads.push({
      name: (m[1] ?? m[2]).toUpperCase(),
      offset: m.index + m[0].indexOf(m[1] ?? '[') - (m[1] ? 1 : 0),
      after: m.index + m[0].length
    });
  const first = heads[0]?.offset ?? text.length;
  const before = text
    .slice(0, first)
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .trim();
  if (before)
    throw new SourceError(
      `expected an mrgsolve block such as $PARAM before this text`,
      text.indexOf(before[0])
    );
  if (!heads.length) throw new SourceError(`no mrgsolve blocks ($PARAM, $CMT, $ODE…) in this file`, 0);
  return heads.map((h, i) => {
    const to = i + 1 < heads.length ? heads[i + 1].offset : text.length;
    let from = h.after;
    const options = new Set<string>();
    let labelList: string[] | undefined;
    // Options: @word [values] at the start of the content, on the block's line or after.
    const opt = /^[ \t\n\r]*@([A-Za-z]+)([^\n@]*)/;
    for (let m; (m = opt.exec(text.slice(from, to))); from += m[0].length) {
      options.add(m[1].toLowerCase());
      if (m[1] === 'labels')
        labelList = m[2]
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean);
    }
    return { name: h.name, options, from, to, offset: h.offset, labelList };
  });
}
