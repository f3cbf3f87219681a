import type { ErrorText, ImportedModel } from './imported-model';
import { namesIn, type SourceExpr } from './source-expr';
import { SourceError } from './tokens';

/**
 * EPS(n) in a captured quantity, in the patterns that are residual error models:
 * `F + EPS(a)` additive, `F*(1+EPS(p))` proportional, `F*(1+EPS(p)) + EPS(a)` combined,
 * `F*exp(EPS(e))` exponential; the output shows F with that error.
 */
export function residualErrors(model: ImportedModel, variances: number[]): void {
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
