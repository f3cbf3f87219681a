/**
 * mrgsolve's `$PKMODEL` → the model language's closed-form `pk` declaration, with
 * mrgsolve's parameter symbols (user guide, $PKMODEL: ncmt 1 `CL V (KA)`, ncmt 2 without
 * a depot `CL V1 Q V2`, with one `CL V2 Q V3 KA`; trans = 11 appends `i`). The central
 * amount is read as concentration times volume; the other PK amounts are not available.
 */
import { Cursor } from './cursor';
import type { Flattener } from './flatten';
import { CONCENTRATION, type ImportedModel, type PkDeclaration } from './imported-model';
import type { Block } from './mrgsolve-blocks';
import { printExpr, substitute, type SourceExpr } from './source-expr';
import { SourceError, tokenize, type Token } from './tokens';

/**
 * `$PKMODEL ncmt = 2, depot = TRUE`: the closed-form PK, its compartments taken out of
 * $CMT; returns the translation of PK amounts for expressions made later (outputs).
 */
export function declarePk<S>(
  model: ImportedModel,
  b: Block,
  text: string,
  flat: Flattener<S>,
  bioavailability: Map<string, SourceExpr | undefined>,
  lag: Map<string, SourceExpr | undefined>
): (e: SourceExpr) => SourceExpr {
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
  const amounts = (e: SourceExpr) => concentration(replace(e), volume);
  for (const d of flat.definitions) d.expr = amounts(d.expr);
  for (const d of model.derivatives) d.expr = amounts(d.expr);
  for (const x of pkNames)
    model.derivatives.forEach((d) => {
      if (d.state === x) throw new SourceError(`dxdt_${x}: '${x}' belongs to $PKMODEL`, d.offset);
    });
  return amounts;
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
