/**
 * rxode2 model text (`.R`, `.rxode`) → `ImportedModel`. A file with `ini({…})` and
 * `model({…})` (the nlmixr2/rxode2 model function) gives parameters, etas (`eta ~ ω²`,
 * `a + b ~ c(ω²a, ωab, ω²b)`) and residual errors (`y ~ add(sd) + prop(sd)`); a file
 * with `rxode2({…})`/`RxODE({…})`, or plain model text, gives the equations only, and
 * its parameters are the names assigned a number (`KA <- 0.3`). Reference: rxode2
 * syntax, https://nlmixr2.github.io/rxode2/articles/rxode2-syntax.html.
 */
import { Cursor } from './cursor';
import { Flattener } from './flatten';
import {
  doseSettings,
  emptyModel,
  mapExpressions,
  type ErrorText,
  type ImportedModel,
  type SourceOutput,
  type SourceParameter
} from './imported-model';
import { dynamicKeys } from './dynamic';
import { parseExpr } from './parse-expr';
import { constantValue, nameNodes, namesIn, substitute, TIME, type SourceExpr } from './source-expr';
import { parseRStatements, type ErrorTerm } from './statements';
import { SourceError, tokenize, type Token } from './tokens';

export function importRxode2(text: string, name: string): ImportedModel {
  const tokens = tokenize(text, 'r');
  const ini = callBody(text, tokens, ['ini']);
  const body = callBody(text, tokens, ['model', 'rxode2', 'RxODE', 'rxode']);
  // rxode2's default tolerances (rxSolve: rtol = 1e-6, atol = 1e-8).
  const model = emptyModel('rxode2', name, 'imported from an rxode2 model', { rtol: 1e-6, atol: 1e-8 });

  if (ini) readIni(text, ini, model);
  const c = new Cursor(body ?? tokens, 'r');
  const flat = new Flattener<'model'>();
  flat.run(parseRStatements(c), 'model');
  if (c.peek().type !== 'end') throw c.unexpected(c.peek(), 'a statement');

  const take = (base: string) => flat.take(base);
  // States: cmt() declarations, then d/dt() in order of appearance.
  const states: string[] = flat.compartments.map((x) => x.name);
  for (const d of flat.definitions) {
    const m = /^d\/dt\((.+)\)$/.exec(d.base);
    if (m && !states.includes(m[1])) states.push(m[1]);
  }
  for (const s of states) {
    const ddt = take(`d/dt(${s})`);
    if (!ddt)
      throw new SourceError(
        `cmt(${s}) has no d/dt(${s})`,
        flat.compartments.find((x) => x.name === s)!.offset
      );
    model.derivatives.push({ state: s, expr: ddt.expr, offset: ddt.offset });
    model.compartments.push({ name: s, initial: take(`${s}(0)`)?.expr, description: '' });
    const F = take(`F(${s})`)?.expr;
    const lag = take(`lag(${s})`)?.expr;
    const duration = take(`duration(${s})`);
    const rate = take(`rate(${s})`);
    if (duration && rate)
      throw new SourceError(
        `dur(${s}) and rate(${s}): a dose target's infusion has a duration or a rate, not both`,
        rate.offset
      );
    model.doses.push({ name: s, state: s, F, lag, duration: duration?.expr, rate: rate?.expr, offset: 0 });
  }
  if (!states.length) throw new SourceError(`no d/dt() equations in this rxode2 model`, 0);
  let defs = flat.remaining();
  for (const d of defs) {
    const m = /^(.+)\((.+)\)$/.exec(d.base);
    const state = m && (m[2] === '0' ? m[1] : m[2]);
    if (state && states.includes(state))
      throw new SourceError(`${d.base} is given again later (write one)`, d.offset);
    if (state) throw new SourceError(`'${d.base}': '${state}' is not a state (no d/dt(${state}))`, d.offset);
  }

  // Without ini(), a name assigned a number once is a parameter (rxode2's `KA <- 0.3`).
  const known = new Set([
    ...model.parameters.map((p) => p.name),
    ...model.etas.map((e) => e.name),
    ...states,
    TIME
  ]);
  const versions = new Map<string, number>();
  for (const d of defs) versions.set(d.base, (versions.get(d.base) ?? 0) + 1);
  const constants = new Map<string, string>();
  for (const d of defs) {
    const value = constantValue(d.expr);
    if (value === undefined || versions.get(d.base) !== 1 || known.has(d.base)) continue;
    model.parameters.push({ name: d.base, value, description: '' });
    known.add(d.base);
    constants.set(d.key, d.base);
  }
  if (constants.size) {
    const rename = (e: SourceExpr) =>
      substitute(e, (n, at) => (constants.has(n) ? { ...at, name: constants.get(n)! } : at));
    defs = defs.filter((d) => !constants.has(d.key));
    for (const x of defs) x.expr = rename(x.expr);
    mapExpressions(model, rename);
    for (const e of flat.endpoints) e.key = constants.get(e.key) ?? e.key;
  }
  const all = [
    ...defs.map((d) => d.expr),
    ...model.derivatives.map((d) => d.expr),
    ...model.compartments.flatMap((x) => (x.initial ? [x.initial] : [])),
    ...model.doses.flatMap(doseSettings)
  ];
  for (const e of all)
    for (const n of nameNodes(e))
      if (!n.name.includes('#') && !known.has(n.name))
        throw new SourceError(
          `'${n.name}' has no value: rxode2 takes it when solving; give it in ini({ ${n.name} <- value }) or assign it a number in the model`,
          n.offset
        );
  model.definitions = defs;

  // Outputs: the endpoints (`cp ~ prop(0.1)`); without any, every quantity that changes with time.
  const values = new Map(model.parameters.map((p) => [p.name, p.value]));
  const usedByErrors = new Set<string>();
  const outputs: SourceOutput[] = flat.endpoints.map((e) => ({
    name: e.target,
    expr: { k: 'name', name: e.key, offset: e.offset },
    error: errorModel(e.terms, values, usedByErrors),
    offset: e.offset
  }));
  if (!outputs.length) {
    const dynamic = dynamicKeys(defs, states);
    for (const d of defs)
      if (dynamic.has(d.key) && flat.current(d.base) === d.key && !d.base.includes('('))
        outputs.push({ name: d.base, expr: { k: 'name', name: d.key, offset: d.offset }, offset: d.offset });
    if (!outputs.length)
      for (const s of states) outputs.push({ name: s, expr: { k: 'name', name: s, offset: 0 }, offset: 0 });
  }
  model.outputs = outputs;
  // Parameters read only by residual errors are the errors' values now.
  const read = new Set([...defs, ...model.derivatives, ...outputs].flatMap((d) => namesIn(d.expr)));
  for (const e of all) namesIn(e).forEach((n) => read.add(n));
  model.parameters = model.parameters.filter((p) => !usedByErrors.has(p.name) || read.has(p.name));
  return model;
}

/** `add(sd)`, `prop(sd)`, `add(a) + prop(b)`, `lnorm(sd)`; sd a number or an ini() value. */
function errorModel(terms: ErrorTerm[], values: Map<string, number>, used: Set<string>): ErrorText {
  const sd = (t: ErrorTerm): number => {
    if (t.args.length !== 1) throw new SourceError(`${t.fn}() takes one standard deviation`, t.offset);
    const a = t.args[0];
    if (a.k === 'name' && values.has(a.name)) {
      used.add(a.name);
      return values.get(a.name)!;
    }
    const v = constantValue(a);
    if (v === undefined)
      throw new SourceError(`${t.fn}(): the standard deviation must be a number or an ini() value`, a.offset);
    return v;
  };
  const kinds = new Map<string, number>();
  for (const t of terms) {
    if (!['add', 'prop', 'lnorm'].includes(t.fn))
      throw new SourceError(
        `rxode2 construct '${t.fn}()' is not supported (residual errors: add, prop, add + prop, lnorm)`,
        t.offset
      );
    if (kinds.has(t.fn)) throw new SourceError(`${t.fn}() is given twice`, t.offset);
    kinds.set(t.fn, sd(t));
  }
  const add = kinds.get('add');
  const prop = kinds.get('prop');
  const lnorm = kinds.get('lnorm');
  if (lnorm !== undefined && kinds.size === 1) return { type: 'exponential', sd: lnorm };
  if (add !== undefined && prop !== undefined && kinds.size === 2)
    return { type: 'combined', additive: add, proportional: prop };
  if (add !== undefined && kinds.size === 1) return { type: 'additive', sd: add };
  if (prop !== undefined && kinds.size === 1) return { type: 'proportional', sd: prop };
  throw new SourceError(
    `rxode2 construct '${terms.map((t) => `${t.fn}()`).join(' + ')}' is not supported (residual errors: add, prop, add + prop, lnorm)`,
    terms[0].offset
  );
}

/** The tokens inside `NAME({ … })` or `NAME("…")` for the first NAME of `names` called so, or undefined. */
function callBody(text: string, tokens: Token[], names: string[]): Token[] | undefined {
  for (let k = 0; k + 2 < tokens.length; k++) {
    const t = tokens[k];
    if (t.type !== 'name' || !names.includes(t.value)) continue;
    if (!(tokens[k + 1].type === 'op' && tokens[k + 1].value === '(')) continue;
    let j = k + 2;
    while (tokens[j].type === 'newline') j++;
    // rxode2("…"): the model as a string (read as written: no escapes in model text).
    const string = tokens[j];
    if (string.type === 'string')
      return tokenize(text, 'r', string.offset + 1, string.offset + 1 + string.value.length);
    if (!(tokens[j].type === 'op' && tokens[j].value === '{')) continue;
    let depth = 0;
    for (let e = j; e < tokens.length; e++) {
      const x = tokens[e];
      if (x.type === 'op' && x.value === '{') depth++;
      if (x.type === 'op' && x.value === '}' && --depth === 0)
        return [...tokens.slice(j + 1, e), { type: 'end', value: '', offset: x.offset }];
    }
    throw new SourceError(`'{' of ${t.value}() is never closed`, tokens[j].offset);
  }
  return undefined;
}

/** ini(): `name <- value; label("…")`, `eta ~ ω²`, `a + b ~ c(lower triangle)`. */
function readIni(text: string, tokens: Token[], model: ImportedModel): void {
  const c = new Cursor(tokens, 'r');
  let last: SourceParameter | undefined;
  for (;;) {
    while (c.peek().type === 'newline' || c.isOp(';')) c.next();
    if (c.peek().type === 'end') return;
    const t = c.next();
    if (t.type !== 'name') throw c.unexpected(t, 'an ini() statement');
    if (t.value === 'label' && c.isOp('(')) {
      c.next();
      const s = c.next();
      if (s.type !== 'string') throw c.unexpected(s, 'a label in quotes');
      c.expect(')');
      if (last) last.description = s.value.replace(/"/g, "'");
      continue;
    }
    const names = [t];
    while (c.accept('+')) {
      const n = c.next();
      if (n.type !== 'name') throw c.unexpected(n, 'an eta name');
      names.push(n);
    }
    if (c.accept('~')) {
      const values = numbers(c);
      const n = names.length;
      if (values.length !== (n * (n + 1)) / 2)
        throw new SourceError(
          `${names.map((x) => x.value).join(' + ')} ~ needs ${(n * (n + 1)) / 2} numbers (the lower triangle), got ${values.length}`,
          t.offset
        );
      let k = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++, k++) {
          if (i === j) model.etas.push({ name: names[i].value, shown: names[i].value, variance: values[k] });
          else if (values[k] !== 0)
            model.covariances.push({
              a: names[i].value,
              b: names[j].value,
              value: values[k],
              offset: t.offset
            });
        }
      }
      last = undefined;
      continue;
    }
    if (names.length > 1) throw c.unexpected(c.peek(), "'~'");
    const op = c.next();
    if (!(op.type === 'op' && (op.value === '<-' || op.value === '='))) throw c.unexpected(op, "'<-'");
    const values = numbers(c);
    // c(lower, estimate) or c(lower, estimate, upper): the estimate.
    const value = values.length === 1 ? values[0] : values[1];
    if (value === undefined || values.length > 3)
      throw new SourceError(
        `the value of '${t.value}' must be a number or c(lower, value, upper)`,
        op.offset
      );
    last = { name: t.value, value, description: '' };
    model.parameters.push(last);
  }
}

/** A number, `fix(number)`, `c(numbers)` or `fix(c(…))` of ini(). */
function numbers(c: Cursor): number[] {
  const t = c.peek();
  if (
    t.type === 'name' &&
    ['c', 'fix', 'fixed', 'FIX', 'FIXED'].includes(t.value) &&
    c.tokens[c.k + 1]?.value === '('
  ) {
    c.next();
    c.next();
    const out: number[] = [];
    c.skipNewlines();
    if (!c.isOp(')'))
      do {
        c.skipNewlines();
        out.push(...numbers(c));
        c.skipNewlines();
      } while (c.accept(','));
    c.expect(')');
    return out;
  }
  const e = parseExpr(c);
  const v = constantValue(e);
  if (v === undefined) throw new SourceError(`expected a number`, e.offset);
  return [v];
}
