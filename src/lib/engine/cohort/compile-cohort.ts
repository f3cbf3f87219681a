import {
  compileExpression,
  ExpressionError,
  parseExpression,
  referencedNames,
  type Evaluator
} from '../expr';
import { cholesky } from '../../linalg/cholesky';
import { normalCdf } from '../rng';
import { checkUnique, IssueList, type SpecPath } from '../../spec/issues';
import { MAX_TWINS } from '../../spec/limits';
import type { CohortSpec, Covariate, Distribution } from '../../spec/cohort-schema';
import { DERIVED_FORMULAS, type DerivedFormulaName } from './derived-formulas';
import { toMarginal } from './marginal';
import {
  makeStep,
  StepOp,
  type CohortPlan,
  type ColumnInfo,
  type Copula,
  type Criterion,
  type Step
} from './plan';

/** Twins imported from a user's table: numeric columns, or categorical codes with levels. */
export interface ImportedColumn {
  name: string;
  values: Float64Array;
  levels?: string[];
}
export interface ImportedTable {
  rows: number;
  columns: ImportedColumn[];
}

const PROBABILITY_TOLERANCE = 1e-6;
/** Screening draws per twin = this / minAcceptance: at the floor rate a twin then fails
 * to be found with probability e^-20, so a run can never hang, and almost never trips. */
const ATTEMPT_FACTOR = 20;

/**
 * Checks a schema-valid cohort spec and compiles it to a plan. Every cross-field
 * problem is collected with its field path and thrown together as one SpecError.
 */
export function compileCohort(spec: CohortSpec, imported?: ImportedTable): CohortPlan {
  const issues = new IssueList();
  const columns: ColumnInfo[] = [];
  const steps: Step[] = [];
  const slotOf = new Map<string, number>();
  const declaredAt = new Map<string, SpecPath>();
  const latentOf = new Map<string, number>();
  let latentCount = 0;

  if (!(Number.isInteger(spec.n) && spec.n >= 1 && spec.n <= MAX_TWINS)) {
    const asked = Number.isFinite(spec.n) ? spec.n.toLocaleString('en-US') : String(spec.n);
    issues.add(
      ['n'],
      `${asked} twins asked for; n must be a whole number ≥ 1, at most ${MAX_TWINS.toLocaleString('en-US')}`
    );
  }

  /** A column's name is its key in the twin table: one per name across the cohort. */
  const declare = (path: SpecPath, info: ColumnInfo): number => {
    const namePath = path.length === 1 ? path : [...path, 'name']; // imported columns: ['import']
    const earlier = declaredAt.get(info.name);
    if (earlier) {
      issues.add(namePath, `'${info.name}' is used twice; covariate names must be unique`, earlier);
    } else {
      declaredAt.set(info.name, namePath);
    }
    slotOf.set(info.name, columns.length);
    columns.push(info);
    return columns.length - 1;
  };
  const levelsOf = (name: string) => {
    const slot = slotOf.get(name);
    return slot === undefined ? undefined : columns[slot].levels;
  };

  /** Resolves `by`: an earlier categorical or band covariate, whose level names key a map. */
  const resolveBy = (
    path: SpecPath,
    by: string | undefined,
    map: unknown
  ): { bySlot: number; keys: string[] } => {
    if (by === undefined) {
      if (map !== undefined) issues.add(path, `a map of levels needs 'by' naming a categorical covariate`);
      return { bySlot: -1, keys: [''] };
    }
    const slot = slotOf.get(by);
    const levels = levelsOf(by);
    if (slot === undefined || !levels) {
      const candidates = columns.filter((c) => c.levels).map((c) => c.name);
      issues.add(
        [...path.slice(0, -1), 'by'],
        `'${by}' is not a categorical or band covariate defined earlier (defined earlier: ${candidates.join(', ') || 'none'})`
      );
      return { bySlot: -1, keys: [''] };
    }
    if (map === undefined || typeof map !== 'object') {
      issues.add(path, `with by: ${by}, give one entry per level (${levels.join(', ')})`);
      return { bySlot: -1, keys: [''] };
    }
    const given = Object.keys(map as object);
    const missing = levels.filter((l) => !given.includes(l));
    const extra = given.filter((g) => !levels.includes(g));
    if (missing.length) issues.add(path, `missing level(s) ${missing.join(', ')} of ${by}`);
    if (extra.length)
      issues.add(path, `unknown level(s) ${extra.join(', ')}; ${by} has ${levels.join(', ')}`);
    return { bySlot: slot, keys: levels };
  };

  if (imported && spec.covariates.length) {
    issues.add(['covariates'], `covariates and import are alternatives: remove one`);
  }

  if (imported) {
    for (const col of imported.columns) {
      // Readers refuse ±Inf and NaN with the file's row; an imported table from anywhere else
      // is held to the same rule, so a non-finite value never becomes a twin.
      const bad = col.values.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0)
        issues.add(
          ['import'],
          `column '${col.name}', row ${bad + 1}: ${col.values[bad]} is not a finite number`
        );
      const slot = declare(['import'], {
        name: col.name,
        kind: col.levels ? 'categorical' : 'continuous',
        levels: col.levels
      });
      steps.push(makeStep(StepOp.Import, slot, { values: col.values }));
    }
  }

  spec.covariates.forEach((cov, i) => {
    const path: SpecPath = ['covariates', i];
    compileCovariate(cov, path);
  });

  function compileCovariate(cov: Covariate, path: SpecPath): void {
    switch (cov.type) {
      case 'continuous': {
        const isMap = !('kind' in cov.distribution);
        const { bySlot, keys } = resolveBy(
          [...path, 'distribution'],
          cov.by,
          isMap ? cov.distribution : undefined
        );
        const dists: Distribution[] = isMap
          ? keys.map((k) => (cov.distribution as Record<string, Distribution>)[k])
          : [cov.distribution as Distribution];
        dists.forEach((d, k) => {
          if (d) checkDistribution(d, isMap ? [...path, 'distribution', keys[k]] : [...path, 'distribution']);
        });
        const slot = declare(path, {
          name: cov.name,
          kind: 'continuous',
          unit: cov.unit,
          description: cov.description
        });
        const latent = latentCount++;
        latentOf.set(cov.name, latent);
        steps.push(
          makeStep(StepOp.Continuous, slot, {
            latent,
            bySlot,
            marginals: dists.filter(Boolean).map(toMarginal),
            round: cov.decimals === undefined ? 0 : 10 ** cov.decimals
          })
        );
        break;
      }
      case 'categorical': {
        const nested = Object.values(cov.levels).some((v) => typeof v === 'object');
        const { bySlot, keys } = resolveBy([...path, 'levels'], cov.by, nested ? cov.levels : undefined);
        const tables = (
          nested
            ? keys.map((k) => (cov.levels as Record<string, Record<string, number>>)[k])
            : [cov.levels as Record<string, number>]
        ).filter(Boolean);
        const names = tables.length ? Object.keys(tables[0]) : [];
        const cumulative = tables.map((t, k) => {
          const p = nested ? [...path, 'levels', keys[k]] : [...path, 'levels'];
          if (Object.keys(t).join('\u0000') !== names.join('\u0000')) {
            issues.add(
              p,
              `every level map must list the same levels in the same order (${names.join(', ')})`
            );
          }
          return cumulativeProbabilities(Object.values(t), p);
        });
        if (names.length < 2)
          issues.add([...path, 'levels'], `a categorical covariate needs at least 2 levels`);
        const slot = declare(path, {
          name: cov.name,
          kind: 'categorical',
          levels: names,
          description: cov.description
        });
        steps.push(makeStep(StepOp.Categorical, slot, { bySlot, cumulative }));
        break;
      }
      case 'binary': {
        const isMap = typeof cov.p === 'object';
        const { bySlot, keys } = resolveBy([...path, 'p'], cov.by, isMap ? cov.p : undefined);
        const p = isMap ? keys.map((k) => (cov.p as Record<string, number>)[k] ?? 0) : [cov.p as number];
        const slot = declare(path, { name: cov.name, kind: 'binary', description: cov.description });
        steps.push(makeStep(StepOp.Binary, slot, { bySlot, values: Float64Array.from(p) }));
        break;
      }
      case 'band': {
        const of = slotOf.get(cov.of);
        if (of === undefined || columns[of].levels) {
          issues.add([...path, 'of'], `'${cov.of}' is not a continuous covariate defined earlier`);
        }
        for (let k = 1; k < cov.breaks.length; k++) {
          if (!(cov.breaks[k] > cov.breaks[k - 1])) {
            issues.add([...path, 'breaks'], `breaks must increase (${cov.breaks.join(', ')})`);
            break;
          }
        }
        checkUnique(
          issues,
          'band labels',
          cov.labels.map((name, k) => ({ name, path: [...path, 'labels', k] }))
        );
        if (cov.labels.length !== cov.breaks.length + 1) {
          issues.add(
            [...path, 'labels'],
            `${cov.breaks.length} breaks make ${cov.breaks.length + 1} bands, but ${cov.labels.length} labels are given`
          );
        }
        const slot = declare(path, {
          name: cov.name,
          kind: 'band',
          levels: cov.labels,
          description: cov.description
        });
        steps.push(makeStep(StepOp.Band, slot, { of: of ?? 0, values: Float64Array.from(cov.breaks) }));
        break;
      }
    }
  }

  function cumulativeProbabilities(ps: number[], path: SpecPath): Float64Array {
    const sum = ps.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
      issues.add(path, `probabilities must sum to 1, but they sum to ${+sum.toPrecision(10)}`);
    }
    const out = new Float64Array(ps.length);
    let acc = 0;
    ps.forEach((p, k) => (out[k] = acc += p));
    out[ps.length - 1] = Infinity; // the last level takes any rounding remainder
    return out;
  }

  function checkDistribution(d: Distribution, path: SpecPath): void {
    switch (d.kind) {
      case 'lognormal':
        if ((d.meanlog === undefined) === (d.median === undefined)) {
          issues.add(path, `a lognormal needs exactly one of meanlog or median`);
        }
        if ((d.sdlog === undefined) === (d.cv === undefined)) {
          issues.add(path, `a lognormal needs exactly one of sdlog or cv`);
        }
        break;
      case 'truncnormal': {
        if (d.lower !== undefined && d.upper !== undefined && !(d.lower < d.upper)) {
          issues.add(path, `lower (${d.lower}) must be below upper (${d.upper})`);
          break;
        }
        const lo = d.lower === undefined ? 0 : normalCdf((d.lower - d.mean) / d.sd);
        const hi = d.upper === undefined ? 1 : normalCdf((d.upper - d.mean) / d.sd);
        if (hi - lo < 1e-9) issues.add(path, `the bounds keep almost none (${hi - lo}) of the normal's mass`);
        break;
      }
      case 'uniform':
        if (!(d.min < d.max)) issues.add(path, `min (${d.min}) must be below max (${d.max})`);
        break;
      case 'empirical': {
        const q = d.quantiles;
        if (q[0][0] !== 0 || q[q.length - 1][0] !== 1) {
          issues.add([...path, 'quantiles'], `probabilities must run from 0 to 1`);
        }
        for (let k = 1; k < q.length; k++) {
          if (!(q[k][0] > q[k - 1][0]) || q[k][1] < q[k - 1][1]) {
            issues.add(
              [...path, 'quantiles', k],
              `probabilities must increase and values must not decrease ([${q[k - 1]}] then [${q[k]}])`
            );
            break;
          }
        }
        break;
      }
      case 'normal':
        break;
    }
  }

  // Gaussian copula blocks.
  const copulas: Copula[] = [];
  const inCopula = new Map<string, SpecPath>();
  spec.correlations.forEach((c, i) => {
    const path: SpecPath = ['correlations', i];
    const n = c.variables.length;
    const latents = new Int32Array(n);
    const firstAt = checkUnique(
      issues,
      'the variables of a correlation block',
      c.variables.map((name, k) => ({ name, path: [...path, 'variables', k] }))
    );
    c.variables.forEach((v, k) => {
      const latent = latentOf.get(v);
      if (latent === undefined) {
        issues.add([...path, 'variables', k], `'${v}' is not a continuous covariate`);
      } else if (inCopula.has(v) && firstAt.get(v)?.at(-1) === k) {
        issues.add(
          [...path, 'variables', k],
          `'${v}' is already in another correlation block`,
          inCopula.get(v)
        );
      }
      if (!inCopula.has(v)) inCopula.set(v, [...path, 'variables', k]);
      latents[k] = latent ?? 0;
    });
    const m = c.matrix;
    const before = issues.items.length;
    if (m.length !== n || m.some((row) => row.length !== n)) {
      issues.add([...path, 'matrix'], `must be ${n}×${n} for ${n} variables (${c.variables.join(', ')})`);
      return;
    }
    for (let r = 0; r < n; r++) {
      if (m[r][r] !== 1)
        issues.add([...path, 'matrix', r, r], `the diagonal of a correlation matrix must be 1`);
      for (let s = 0; s < r; s++) {
        if (m[r][s] !== m[s][r]) {
          issues.add(
            [...path, 'matrix', r, s],
            `not symmetric: [${r}][${s}] = ${m[r][s]} but [${s}][${r}] = ${m[s][r]}`
          );
        } else if (!(Math.abs(m[r][s]) <= 1)) {
          issues.add([...path, 'matrix', r, s], `a correlation must be between -1 and 1, got ${m[r][s]}`);
        }
      }
    }
    if (issues.items.length > before) return; // the factorisation needs a well-formed matrix
    const l = cholesky(m);
    if (!l) {
      issues.add([...path, 'matrix'], `not positive definite: no valid set of correlations has these values`);
      return;
    }
    copulas.push({ latents, cholesky: l });
  });

  // Derived covariates.
  const context = (source: string) => ({
    source,
    lookup: (name: string) => {
      const slot = slotOf.get(name);
      return slot === undefined ? undefined : { slot, levels: columns[slot].levels };
    },
    knownNames: () => [...slotOf.keys()]
  });

  spec.derived.forEach((d, i) => {
    const path: SpecPath = ['derived', i];
    let evaluate: Evaluator = () => NaN;
    let inputs: string[] = [];
    let unit = d.unit;
    if ((d.formula === undefined) === (d.expr === undefined)) {
      issues.add(path, `give exactly one of formula or expr`);
    } else if (d.formula !== undefined) {
      const formula = DERIVED_FORMULAS[d.formula as DerivedFormulaName];
      unit ??= formula.unit;
      inputs = formula.inputs.map((role) => d.inputs?.[role] ?? role);
      const getters: Evaluator[] = formula.inputs.map((role) => {
        const source = d.inputs?.[role] ?? role;
        const slot = slotOf.get(source);
        if (slot === undefined) {
          issues.add(
            [...path, 'inputs', role],
            `${d.formula} needs input '${role}': no covariate '${source}' is defined before it (set inputs.${role})`
          );
          return () => NaN;
        }
        if (role !== 'sex') return (v) => v[slot];
        const female = d.female ?? 'F';
        const code = columns[slot].levels?.indexOf(female) ?? -1;
        if (code < 0) {
          issues.add(
            [...path, 'female'],
            `'${female}' is not a level of ${source} (levels: ${columns[slot].levels?.join(', ') ?? 'none'})`
          );
        }
        return (v) => (v[slot] === code ? 1 : 0);
      });
      for (const role of Object.keys(d.inputs ?? {})) {
        if (!(formula.inputs as readonly string[]).includes(role)) {
          issues.add(
            [...path, 'inputs', role],
            `${d.formula} has no input '${role}' (inputs: ${formula.inputs.join(', ')})`
          );
        }
      }
      evaluate = bindFormula(formula.compute, getters);
    } else {
      try {
        const expr = parseExpression(d.expr!);
        evaluate = compileExpression(expr, context(d.expr!));
        inputs = referencedNames(expr);
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        issues.add([...path, 'expr'], e.message);
      }
    }
    const slot = declare(path, { name: d.name, kind: 'derived', unit });
    steps.push(
      makeStep(StepOp.Compute, slot, {
        evaluate,
        round: d.decimals === undefined ? 0 : 10 ** d.decimals,
        inputs: Int32Array.from(
          inputs.filter((n) => slotOf.has(n)),
          (n) => slotOf.get(n)!
        )
      })
    );
  });

  // Inclusion / exclusion criteria.
  const criteria: Criterion[] = [];
  // A criterion's label keys its row of the screening funnel.
  checkUnique(
    issues,
    'criteria',
    spec.criteria.map((c, i) =>
      typeof c === 'string'
        ? { name: c, path: ['criteria', i] }
        : { name: c.name, path: ['criteria', i, 'name'] }
    )
  );
  spec.criteria.forEach((c, i) => {
    const text = typeof c === 'string' ? c : c.expr;
    const label = typeof c === 'string' ? c : c.name;
    const path: SpecPath = typeof c === 'string' ? ['criteria', i] : ['criteria', i, 'expr'];
    try {
      criteria.push({ label, evaluate: compileExpression(parseExpression(text), context(text)) });
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      issues.add(path, e.message);
    }
  });

  if (!imported && spec.import) {
    issues.add(['import'], `the import file has not been read`);
  }
  if (!imported && spec.covariates.length === 0) {
    issues.add(['covariates'], `declare at least one covariate, or import twins from a file`);
  }
  issues.throwIfAny();

  const minAcceptance = spec.screening?.minAcceptance ?? 0.001;
  return {
    columns,
    latentCount,
    copulas,
    steps,
    criteria,
    importedRows: imported?.rows ?? 0,
    bootstrap: spec.import?.bootstrap ?? false,
    minAcceptance,
    maxAttempts: Math.ceil(ATTEMPT_FACTOR / Math.max(minAcceptance, 1e-9))
  };
}

function bindFormula(compute: (...a: number[]) => number, g: Evaluator[]): Evaluator {
  switch (g.length) {
    case 2:
      return (v) => compute(g[0](v), g[1](v));
    case 3:
      return (v) => compute(g[0](v), g[1](v), g[2](v));
    case 4:
      return (v) => compute(g[0](v), g[1](v), g[2](v), g[3](v));
    default:
      return (v) => compute(...g.map((f) => f(v)));
  }
}
