/**
 * mrgsolve model files (`.cpp`, `.mod`) → `ImportedModel`. Blocks are `$NAME` or
 * `[ NAME ]` at the start of a line. Data blocks ($PARAM, $FIXED, $INPUT, $THETA, $CMT,
 * $INIT, $OMEGA, $SIGMA, $CAPTURE, $PKMODEL; read in mrgsolve-blocks.ts) are values;
 * code blocks ($MAIN or $PK, $ODE or $DES, $TABLE or $ERROR) are C++ statements. $PROB
 * gives the title, $SET its rtol and atol, $GLOBAL its #define macros
 * (mrgsolve-macros.ts); any other block is refused. $PKMODEL is translated in
 * mrgsolve-pk.ts, EPS() in mrgsolve-residual-error.ts.
 * Reference: mrgsolve user guide, https://mrgsolve.org/user-guide/ (model specification).
 */
import { Cursor } from './cursor';
import { Flattener } from './flatten';
import {
  CONCENTRATION,
  doseSettings,
  emptyModel,
  type ImportedModel,
  type SourceOutput
} from './imported-model';
import { matrix, namedValues, names, splitBlocks, type Block } from './mrgsolve-blocks';
import { expandMacros, expandStatements, readDefines, type Macros } from './mrgsolve-macros';
import { declarePk } from './mrgsolve-pk';
import { residualErrors } from './mrgsolve-residual-error';
import { substitute, TIME, type SourceExpr } from './source-expr';
import { parseCStatements } from './statements';
import { SourceError, tokenize } from './tokens';

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
  const captured: { name: string; source: string; description: string; offset: number }[] = [];
  let pkBlock: Block | undefined;
  const sigma: { variances: number[]; covariances: { i: number; j: number; value: number }[] } = {
    variances: [],
    covariances: []
  };
  const aliases = new Map<string, string>();
  // $GLOBAL's macros apply to every code block, wherever it stands (mrgsolve puts it first).
  const macros: Macros = new Map();
  for (const b of blocks) if (b.name === 'GLOBAL') readDefines(text, b.from, b.to, macros);
  for (const b of blocks) {
    const section = CODE_BLOCKS[b.name];
    if (b.name === 'GLOBAL') continue;
    if (section) {
      const c = new Cursor(tokenize(text, 'c', b.from, b.to), 'c');
      flat.run(expandStatements(parseCStatements(c), macros), section);
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
          captured.push({
            name: n.name,
            source: n.source ?? n.name,
            description: n.description,
            offset: n.offset
          });
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

  // A captured macro is a quantity of its own, as the last statement of $TABLE.
  for (const c of captured)
    if (macros.has(c.source) && !flat.current(c.source))
      flat.run(
        [
          {
            k: 'assign',
            target: c.source,
            expr: expandMacros({ k: 'name', name: c.source, offset: c.offset }, macros),
            offset: c.offset
          }
        ],
        'table'
      );

  // Labels of $OMEGA/$SIGMA rows are aliases of ETA(n)/EPS(n).
  const alias = (e: SourceExpr) =>
    substitute(e, (n, at) => (aliases.has(n) ? { ...at, name: aliases.get(n)! } : at));
  for (const d of flat.definitions) d.expr = alias(d.expr);

  if (!model.compartments.length && !pkBlock)
    throw new SourceError(
      `no compartments: declare them in $CMT or $INIT (or use $PKMODEL)`,
      blocks[0].offset
    );
  const compartmentNames = new Set(model.compartments.map((c) => c.name));
  const take = (base: string) => flat.take(base);
  // Special names: dxdt_X, X_0, and the dose settings F_X, ALAG_X, D_X, R_X.
  const derivatives = new Map<string, number>();
  for (const c of model.compartments) {
    const ddt = take(`dxdt_${c.name}`);
    if (ddt) model.derivatives.push({ state: c.name, expr: ddt.expr, offset: ddt.offset });
    derivatives.set(c.name, ddt ? 1 : 0);
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

  const amounts = pkBlock && declarePk(model, pkBlock, text, flat, bioavailability, lag);
  // Every compartment but the closed form's has its equation.
  const missing = model.compartments.find((c) => !derivatives.get(c.name));
  if (missing)
    throw new SourceError(
      `'${missing.name}' has no equation: write dxdt_${missing.name} = …; in $ODE`,
      blocks.find((b) => b.name === 'ODE' || b.name === 'DES')?.offset ?? 0
    );
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
      captured.push({ name: d.base, source: d.base, description: '', offset: d.offset });
  for (const c of captured) {
    const key = flat.current(c.source);
    const known =
      key ??
      (compartmentNames.has(c.source) || model.parameters.some((p) => p.name === c.source)
        ? c.source
        : undefined);
    if (!known) throw new SourceError(`$CAPTURE names '${c.source}', which no statement assigns`, c.offset);
    if (outputs.some((o) => o.name === c.name)) continue;
    outputs.push({
      name: c.name,
      expr: { k: 'name', name: known, offset: c.offset },
      description: c.description,
      offset: c.offset
    });
  }
  if (!outputs.length)
    for (const c of model.compartments)
      outputs.push({ name: c.name, expr: { k: 'name', name: c.name, offset: 0 }, offset: 0 });
  // A captured PK compartment is its amount, as in the definitions.
  if (amounts) for (const o of outputs) o.expr = amounts(o.expr);
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
  model.doses.forEach((d) => doseSettings(d).forEach((e) => check(e)));
  [model.pk?.F, model.pk?.TLAG].forEach((e) => check(e));
  model.pk?.args.forEach(([, e]) => check(e, ' ($PKMODEL needs it as a parameter or a $MAIN variable)'));
}
