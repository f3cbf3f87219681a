/**
 * An `ImportedModel` → model-language text: random effects become variability
 * (recognise-variability.ts), an output's own definition moves into the output, the
 * definitions split into `individual` (per twin) and `odes` (changing with time), and
 * every name is made a model-language name (names.ts).
 */
import { dynamicKeys } from './dynamic';
import { CONCENTRATION, type ErrorText, type ImportedModel } from './imported-model';
import { NameTable } from './names';
import { recogniseVariability } from './recognise-variability';
import { formatNumber, namesIn, printExpr, substitute, TIME, type SourceExpr } from './source-expr';
import { SourceError } from './tokens';

export function writeModel(model: ImportedModel, file: string): string {
  const variability = recogniseVariability(model);
  inlineOutputs(model);
  const states = model.compartments.map((c) => c.name);
  const dynamic = dynamicKeys(model.definitions, states);
  const names = new NameTable(!!model.pk);
  for (const p of model.parameters) names.claim(p.name, p.name);
  for (const s of states) names.claim(s, s);
  const outputNames = model.outputs.map((o) =>
    // An output may show a state under the state's own name.
    o.expr.k === 'name' && o.expr.name === o.name && states.includes(o.name)
      ? o.name
      : names.claim(`output:${o.name}`, o.name)
  );
  // The last version of each variable is named as in the source; earlier ones NAME_1, NAME_2….
  const last = new Map<string, string>();
  for (const d of model.definitions) last.set(d.base, d.key);
  for (const d of model.definitions) if (last.get(d.base) === d.key) names.claim(d.key, d.base);
  for (const d of model.definitions)
    if (last.get(d.base) !== d.key) names.claim(d.key, `${d.base}_${d.key.split('#')[1]}`);
  const name = (source: string) => {
    if (source === TIME) return 't';
    if (source === CONCENTRATION) return 'C';
    return names.get(source);
  };
  const expr = (e: SourceExpr) => printExpr(e, name);
  // Bioavailability and lag are expressions of parameters and individual quantities.
  const doseSetting = (e: SourceExpr | undefined, what: string): string | undefined => {
    if (!e) return undefined;
    let moving: SourceExpr | undefined;
    substitute(e, (n, at) => {
      if (dynamic.has(n)) moving ??= at;
      return at;
    });
    if (moving?.k === 'name')
      throw new SourceError(
        `${what} must not change with time (it reads '${name(moving.name)}')`,
        moving.offset
      );
    return expr(e);
  };

  const lines: string[] = [
    `# Imported from ${file.replace(/\n/g, ' ')} (${model.tool}) by twinbench model import.`,
    ...model.notes.map((n) => `# ${n}`),
    `model ${names.modelName(model.name)}`,
    `title "${model.title.replace(/"/g, "'")}"`,
    `reference "${model.reference}"`,
    `tolerance(rtol = ${formatNumber(model.tolerance.rtol)}, atol = ${formatNumber(model.tolerance.atol)})`,
    '',
    'parameters',
    ...model.parameters.map(
      (p) => `  ${name(p.name)} = ${formatNumber(p.value)}${p.description ? `  "${p.description}"` : ''}`
    )
  ];
  if (variability.statements.length) {
    lines.push('', 'variability');
    for (const v of variability.statements)
      lines.push(
        `  ${name(v.parameter)} ~ ${v.distribution}(var = ${formatNumber(v.variance)})${v.comment ? `  # ${v.comment}` : ''}`
      );
    for (const c of variability.correlations)
      lines.push(`  cor(${name(c.a)}, ${name(c.b)}) = ${formatNumber(c.value)}`);
  }
  const individual = model.definitions.filter((d) => !dynamic.has(d.key));
  const odes = model.definitions.filter((d) => dynamic.has(d.key));
  if (individual.length)
    lines.push('', 'individual', ...individual.map((d) => `  ${name(d.key)} = ${expr(d.expr)}`));
  if (model.pk) {
    const pk = model.pk;
    const args = pk.args.map(([a, e]) => `${a} = ${expr(e)}`);
    const F = doseSetting(pk.F, 'the bioavailability of the depot');
    const TLAG = doseSetting(pk.TLAG, 'the lag time of the depot');
    if (F) args.push(`F = ${F}`);
    if (TLAG) args.push(`TLAG = ${TLAG}`);
    const kind = ['one', 'two', 'three'][pk.compartments - 1];
    lines.push('', `pk ${kind}_compartment(${pk.route}, ${args.join(', ')})`);
  }
  if (states.length) {
    lines.push('', 'states');
    for (const c of model.compartments)
      lines.push(
        `  ${name(c.name)}${c.initial ? `(0) = ${expr(c.initial)}` : ''}${c.description ? `  "${c.description}"` : ''}`
      );
  }
  if (odes.length || model.derivatives.length) {
    lines.push('', 'odes');
    for (const d of odes) lines.push(`  ${name(d.key)} = ${expr(d.expr)}`);
    for (const d of model.derivatives) lines.push(`  d/dt(${name(d.state)}) = ${expr(d.expr)}`);
  }
  if (model.outputs.length) {
    lines.push('', 'outputs');
    model.outputs.forEach((o, i) =>
      lines.push(
        `  ${outputNames[i]} = ${expr(o.expr)}${o.error && errorText(o.error) ? `  ~ ${errorText(o.error)}` : ''}${o.description ? `  "${o.description}"` : ''}`
      )
    );
  }
  const doses = model.pk ? [] : model.doses;
  if (doses.some((d) => d.F || d.lag || d.duration || d.rate)) {
    lines.push('', 'doses');
    for (const d of doses) {
      const settings = [
        ['F', doseSetting(d.F, `the bioavailability of ${d.name}`)],
        ['lag', doseSetting(d.lag, `the lag time of ${d.name}`)],
        ['duration', doseSetting(d.duration, `the infusion duration of ${d.name}`)],
        ['rate', doseSetting(d.rate, `the infusion rate of ${d.name}`)]
      ];
      const props = settings.flatMap(([k, v]) => (v ? [`${k} = ${v}`] : [])).join(', ');
      lines.push(`  ${name(d.name)} -> ${name(d.state)}${props ? ` (${props})` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The error as written, without terms of sd 0 (`$SIGMA 0`): none, or the other term of a combined error. */
function errorText(e: ErrorText): string | undefined {
  if (e.type === 'combined') {
    if (e.additive === 0) return errorText({ type: 'proportional', sd: e.proportional });
    if (e.proportional === 0) return errorText({ type: 'additive', sd: e.additive });
  } else if (e.sd === 0) return undefined;
  if (e.type === 'combined')
    return `combined(add = ${formatNumber(e.additive)}, prop = ${formatNumber(e.proportional)})`;
  return `${e.type}(${formatNumber(e.sd)})`;
}

/** An output showing the last version of its own variable, read by nothing else, takes its expression. */
function inlineOutputs(model: ImportedModel): void {
  const reads = new Map<string, number>();
  const count = (e: SourceExpr) => namesIn(e).forEach((n) => reads.set(n, (reads.get(n) ?? 0) + 1));
  model.definitions.forEach((d) => count(d.expr));
  model.derivatives.forEach((d) => count(d.expr));
  model.outputs.forEach((o) => count(o.expr));
  model.compartments.forEach((c) => c.initial && count(c.initial));
  model.pk?.args.forEach(([, e]) => count(e));
  const byKey = new Map(model.definitions.map((d) => [d.key, d]));
  const last = new Map<string, string>();
  for (const d of model.definitions) last.set(d.base, d.key);
  const moved = new Set<string>();
  for (const o of model.outputs) {
    if (o.expr.k !== 'name') continue;
    const d = byKey.get(o.expr.name);
    if (!d || reads.get(d.key) !== 1 || d.base !== o.name || last.get(d.base) !== d.key) continue;
    o.expr = d.expr;
    moved.add(d.key);
  }
  if (moved.size) model.definitions = model.definitions.filter((d) => !moved.has(d.key));
}
