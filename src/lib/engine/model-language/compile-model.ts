/**
 * A checked model → the engine's `ModelDefinition`: a `PkPdModel` when it declares `pk`
 * (the library's closed-form linear PK with the text's parameter mapping; the text's
 * states, ODEs and outputs as the PD block driven by the concentration C), else an
 * `OdeModel` with an analytic Jacobian. Functions are JavaScript printed from the
 * checked tree (emit-js.ts) and built with `new Function`; the model text never
 * reaches it. Individual quantities are cached per parameter vector, or written out where
 * they are used when all are cheap.
 */
import type { ModelSpec } from '../models/spec';
import {
  RATE_INDEX,
  type DoseTargetDeclaration,
  type ModelCovariateEffects,
  type LinearPkDeclaration,
  type ModelDefinition,
  type OdeModel,
  type OutputDeclaration,
  type PdDeclaration,
  type PkPdModel
} from '../models/modelDefinition';
import { linearPkLibrary } from '../models/library/linearPk';
import { referencedNames, type Expr } from '../expr';
import type { CheckedModel } from './check-model';
import { affineInStates } from './affine-in-states';
import { differentiate } from './differentiate';
import { emit, FUNCTION_PRELUDE } from './emit-js';
import { dormandPrinceStepSource } from '../ode/dormandPrinceStepSource';
import { isZero, lower, type Node } from './lowered-expr';
import type { DoseStatement, ModelExpr, ModelTree, PkArgument } from './model-tree';

const DEFAULT_TOLERANCE = { rtol: 1e-6, atol: 1e-9 };
/** States up to which an ODE model gets a specialised solver step (its code grows as 7n). */
const MAX_STEP_STATES = 16;

/** The functions a generated source returns, by name. */
type Functions = Record<string, (...a: never[]) => void>;

export interface CompiledModel {
  model: ModelDefinition;
  /** The model's own variability and residual error, as a protocol's model section. */
  defaults: ModelSpec;
  /** Cohort covariates its covariate statements use (`model.covariateEffects`). */
  covariates: string[];
  /** The generated JavaScript, for inspection and tests. */
  source: string;
  /** The checked tree it was compiled from (to trace a value that is not finite). */
  checked: CheckedModel;
}

export function compileModel(checked: CheckedModel): CompiledModel {
  const g = new Generator(checked);
  const { source, build } = checked.tree.pk ? g.pkpd() : g.ode();
  const functions = new Function(source)() as Functions;
  return {
    model: build(functions),
    defaults: defaults(checked),
    covariates: checked.covariateNames,
    source,
    checked
  };
}

class Generator {
  private readonly tree: ModelTree;
  private readonly nParameters: number;

  /**
   * Individual quantities written out where they are used, rather than cached: when all
   * are a few arithmetic operations (KIN = KOUT * R0), recomputing one is cheaper than
   * checking the cache in every right-hand-side call.
   */
  private readonly inlineIndividual: boolean;

  /** How a state is read: `y[i]`, or a local of a specialised solver step. */
  private stateCode = (i: number): string => `y[${i}]`;

  constructor(private readonly checked: CheckedModel) {
    this.tree = checked.tree;
    this.nParameters = checked.tree.parameters.length;
    this.inlineIndividual = checked.tree.individual.every((a) => isCheap(a.expr.tree, MAX_INLINE_SIZE));
  }

  /** Slot of a name: p[] parameters, q[] individual quantities, y[] states, mK intermediates. */
  private resolve = (name: string): Node => {
    const s = this.checked.symbols.get(name)!;
    switch (s.kind) {
      case 'parameter':
        return { k: 'ref', code: `p[${s.index}]` };
      case 'individual':
        return this.inlineIndividual
          ? this.node(this.tree.individual[s.index].expr)
          : { k: 'ref', code: `q[${s.index}]` };
      case 'state':
        return { k: 'ref', code: this.stateCode(s.index), state: s.index };
      case 'intermediate':
        return { k: 'ref', code: `m${s.index}`, intermediate: s.index };
      case 'time':
        return { k: 'ref', code: 't' };
      case 'concentration':
        return { k: 'ref', code: 'c' };
      case 'covariate':
        return { k: 'ref', code: `x[${s.index}]` };
      default:
        throw new Error(`'${name}' cannot be compiled here`);
    }
  };

  private node(e: ModelExpr): Node {
    return lower(e.tree, this.resolve);
  }

  /**
   * The individual quantities of a parameter vector, cached: they are recomputed only
   * when a parameter they use has changed (an unrolled comparison of those parameters,
   * cheaper than recomputing, which an ODE right-hand side would do at every stage).
   */
  private prelude(): string {
    const lines = ['"use strict";', FUNCTION_PRELUDE];
    const individual = this.tree.individual;
    if (!individual.length || this.inlineIndividual) return lines.join('\n');
    const used = new Set<number>();
    for (const a of individual)
      for (const name of referencedNames(a.expr.tree)) {
        const s = this.checked.symbols.get(name);
        if (s?.kind === 'parameter') used.add(s.index);
      }
    const slots = [...used].sort((a, b) => a - b);
    const same = slots.map((i, k) => `p[${i}] === s${k}`);
    lines.push(
      `const w = new Float64Array(${individual.length});`,
      ...slots.map((_, k) => `let s${k} = 0;`),
      'let fresh = false;',
      'function individual(p) {',
      `  if (fresh${same.map((c) => ` && ${c}`).join('')}) return w;`,
      ...slots.map((i, k) => `  s${k} = p[${i}];`),
      '  fresh = true;',
      '  const q = w;',
      ...this.checked.individualOrder.map((i) => `  q[${i}] = ${emit(this.node(individual[i].expr))};`),
      '  return w;',
      '}'
    );
    return lines.join('\n');
  }

  /**
   * The covariate statements: each writes its parameter's typical value from the
   * population values p and the covariates x (a statement's own parameter on the right
   * is its population value).
   */
  private covariates(): string {
    const lines = this.tree.covariates.map(
      (c) => `out[${this.checked.symbols.get(c.name)!.index}] = ${emit(this.node(c.expr))};`
    );
    return `covariates(p, x, out) {\n${lines.join('\n')}\n}`;
  }

  private intermediates(): string[] {
    return this.checked.intermediateOrder.map(
      (i) => `const m${i} = ${emit(this.node(this.tree.intermediates[i].expr))};`
    );
  }

  private fn(signature: string, body: string[]): string {
    const individual =
      this.tree.individual.length && !this.inlineIndividual ? 'const q = individual(p);\n' : '';
    return `${signature} {\n${individual}${body.join('\n')}\n}`;
  }

  private initial(): string[] {
    return this.tree.states.map((s, i) => `y[${i}] = ${s.initial ? emit(this.node(s.initial)) : '0'};`);
  }

  private derivatives(): string[] {
    return [
      ...this.intermediates(),
      ...this.checked.derivatives.map((d, i) => `dy[${i}] = ${emit(this.node(d))};`)
    ];
  }

  /**
   * A Dormand–Prince step specialised to the model (`OdeSystem.step`): the right-hand
   * side inlined at each stage with the states in locals. Only for a few states, where
   * the stage loops and the calls cost more than the arithmetic. A PK/PD model's step
   * reads the concentration of each stage from `cs` (indexed as `STAGES`: the start, the
   * four inner stages, the end), which the hybrid simulator fills from the closed-form PK
   * with one exp per mode for the whole step; an ODE model's step adds `input` (infusions).
   */
  private step(driven: boolean): string[] {
    const n = this.tree.states.length;
    if (n === 0 || n > MAX_STEP_STATES) return [];
    const body = dormandPrinceStepSource(
      n,
      (state, stage) => {
        this.stateCode = state;
        try {
          return {
            // stages 6 and 7 are both at the step's end
            statements: [
              ...(driven ? [`const c = cs[${Math.min(stage, 6) - 1}];`] : []),
              ...this.intermediates()
            ],
            derivatives: this.checked.derivatives.map((d) => emit(this.node(d)))
          };
        } finally {
          this.stateCode = (i) => `y[${i}]`;
        }
      },
      !driven
    );
    const signature = `step(t0, hh, tNew, y, p, ${driven ? 'cs' : 'input'}, work, rtol, atol)`;
    return [this.fn(signature, body) + ','];
  }

  private outputs(indices: number[]): string[] {
    return [
      ...this.intermediates(),
      ...indices.map((o, k) => `out[${k}] = ${emit(this.node(this.tree.outputs[o].expr))};`)
    ];
  }

  /** ∂(dy_i)/∂y_j, row-major, with each intermediate's derivatives computed once. */
  private jacobian(): string[] {
    const n = this.tree.states.length;
    const lines: string[] = [];
    const known = new Set<string>();
    const dm =
      (j: number) =>
      (k: number): Node =>
        known.has(`${k}_${j}`) ? { k: 'ref', code: `d${k}_${j}` } : { k: 'num', v: 0 };
    for (const k of this.checked.intermediateOrder) {
      const m = this.node(this.tree.intermediates[k].expr);
      lines.push(`const m${k} = ${emit(m)};`);
      for (let j = 0; j < n; j++) {
        const d = differentiate(m, j, dm(j));
        if (isZero(d)) continue;
        known.add(`${k}_${j}`);
        lines.push(`const d${k}_${j} = ${emit(d)};`);
      }
    }
    lines.push('jac.fill(0);');
    this.checked.derivatives.forEach((e, i) => {
      const f = this.node(e);
      for (let j = 0; j < n; j++) {
        const d = differentiate(f, j, dm(j));
        if (!isZero(d)) lines.push(`jac[${i * n + j}] = ${emit(d)};`);
      }
    });
    return lines;
  }

  ode(): { source: string; build: (f: Functions) => ModelDefinition } {
    const outputs = this.tree.outputs.map((_, i) => i);
    const source = [
      this.prelude(),
      'return {',
      this.fn('initial(p, y)', this.initial()) + ',',
      this.fn('rhs(t, y, p, dy)', this.derivatives()) + ',',
      this.fn('jacobian(t, y, p, jac)', this.jacobian()) + ',',
      this.fn('output(t, y, p, out)', this.outputs(outputs)) + ',',
      ...this.step(false),
      ...this.doseFactors(this.tree.doses),
      this.covariates(),
      '};'
    ].join('\n');
    const tree = this.tree;
    const build = (f: Functions): OdeModel => ({
      kind: 'ode',
      ...this.base(f),
      outputs: outputs.map((o) => outputDeclaration(tree, o)),
      doseTargets: this.odeDoseTargets(),
      states: tree.states.map((s) => ({
        name: s.name,
        unit: s.unit?.text ?? '',
        description: s.description
      })),
      stiff: tree.solver === 'stiff',
      initial: f.initial as OdeModel['initial'],
      rhs: f.rhs as OdeModel['rhs'],
      jacobian: f.jacobian as OdeModel['jacobian'],
      output: f.output as OdeModel['output'],
      ...(f.step ? { step: f.step as OdeModel['step'] } : {})
    });
    return { source, build };
  }

  pkpd(): { source: string; build: (f: Functions) => ModelDefinition } {
    const tree = this.tree;
    const pk = tree.pk!;
    const concentration = this.checked.concentrationOutput;
    const pdOutputs = tree.outputs.map((_, i) => i).filter((i) => i !== concentration);
    const arg = (name: PkArgument) => {
      const e = pk.args.get(name);
      return e ? emit(this.node(e)) : '0';
    };
    const v = pk.args.has('V') ? arg('V') : arg('V1');
    const R = RATE_INDEX;
    const rates = [
      `const v = ${v};`,
      `out[${R.RATE_VC}] = v;`,
      `out[${R.RATE_K10}] = ${arg('CL')} / v;`,
      `out[${R.RATE_KA}] = ${pk.route === 'oral' ? arg('KA') : '0'};`,
      `out[${R.RATE_K12}] = ${pk.compartments >= 2 ? `${arg('Q')} / v` : '0'};`,
      `out[${R.RATE_K21}] = ${pk.compartments >= 2 ? `${arg('Q')} / ${arg('V2')}` : '0'};`,
      `out[${R.RATE_K13}] = ${pk.compartments === 3 ? `${arg('Q3')} / v` : '0'};`,
      `out[${R.RATE_K31}] = ${pk.compartments === 3 ? `${arg('Q3')} / ${arg('V3')}` : '0'};`
    ];
    const source = [
      this.prelude(),
      'return {',
      this.fn('rates(p, out)', rates) + ',',
      this.fn('initial(p, y)', this.initial()) + ',',
      this.fn('rhs(t, y, p, dy, c)', this.derivatives()) + ',',
      this.fn('output(t, y, p, c, out)', this.outputs(pdOutputs)) + ',',
      ...this.step(true),
      ...this.doseFactors(
        pk.route === 'oral' ? [{ bioavailability: pk.args.get('F'), lag: pk.args.get('TLAG') }, {}] : [{}]
      ),
      this.covariates(),
      '};'
    ].join('\n');
    const build = (f: Functions): PkPdModel => {
      const library = linearPkLibrary.find(
        (d) => d.structure.compartments === pk.compartments && d.structure.depot === (pk.route === 'oral')
      )!;
      const parameterName = (a: PkArgument) => parameterNamed(pk.args.get(a), this.checked);
      const doseTargets: DoseTargetDeclaration[] =
        pk.route === 'oral'
          ? [
              { name: 'depot', state: 0, bioavailability: parameterName('F'), lag: parameterName('TLAG') },
              { name: 'central', state: 1 }
            ]
          : [{ name: 'central', state: 0 }];
      const declaration: LinearPkDeclaration = {
        name: library.name,
        reference: library.reference,
        structure: library.structure,
        // The text's parameters are all in the PD block's vector: the PK reads them by slot.
        parameters: [],
        states: library.states,
        doseTargets,
        rates: f.rates as LinearPkDeclaration['rates']
      };
      const pd: PdDeclaration | null =
        tree.states.length || pdOutputs.length
          ? {
              name: tree.name!.name,
              title: tree.title,
              reference: tree.reference,
              parameters: this.parameters(),
              states: tree.states.map((s) => ({
                name: s.name,
                unit: s.unit?.text ?? '',
                description: s.description
              })),
              outputs: pdOutputs.map((o) => outputDeclaration(tree, o)),
              tolerance: tree.tolerance,
              affine: affineInStates(
                this.checked.derivatives.map((d) => this.node(d)),
                (k) => this.node(this.tree.intermediates[k].expr)
              ),
              initial: f.initial as PdDeclaration['initial'],
              rhs: f.rhs as PdDeclaration['rhs'],
              output: f.output as PdDeclaration['output'],
              ...(f.step ? { step: f.step as PdDeclaration['step'] } : {})
            }
          : null;
      const concentrationOutput: OutputDeclaration =
        concentration >= 0
          ? outputDeclaration(tree, concentration)
          : { name: 'C', unit: '', description: 'central concentration' };
      return {
        kind: 'pkpd',
        ...this.base(f),
        outputs: [concentrationOutput, ...pdOutputs.map((o) => outputDeclaration(tree, o))],
        doseTargets,
        pk: declaration,
        pd
      };
    };
    return { source, build };
  }

  private parameters() {
    return this.tree.parameters.map((p) => ({
      name: p.name,
      value: p.value,
      unit: p.unit?.text ?? '',
      description: p.description
    }));
  }

  private base(f: Functions) {
    const tree = this.tree;
    const covariateEffects = tree.covariates.length
      ? { covariates: this.checked.covariateNames, apply: f.covariates as ModelCovariateEffects['apply'] }
      : undefined;
    return {
      name: tree.name!.name,
      title: tree.title || tree.name!.name,
      reference: tree.reference,
      parameters: this.parameters(),
      tolerance: tree.tolerance ?? DEFAULT_TOLERANCE,
      ...(covariateEffects ? { covariateEffects } : {}),
      ...(f.doseFactors ? { doseFactors: f.doseFactors as ModelDefinition['doseFactors'] } : {}),
      ...(hasInfusions(tree.doses) ? { doseInfusions: true } : {})
    };
  }

  /**
   * The dose targets' bioavailability (F / volume) and lag as a generated function, when
   * one of them is an expression rather than a parameter's name (names are read by slot,
   * as the library's models do): `doseFactors(p, f, lag)`, one slot per target.
   */
  private doseFactors(targets: DoseSettings[]): string[] {
    const settings = targets.flatMap((t) => [t.bioavailability, t.lag, t.volume]);
    const infusions = hasInfusions(targets);
    if (!infusions && settings.every((e) => !e || parameterNamed(e, this.checked) !== undefined)) return [];
    const code = (e: ModelExpr | undefined, otherwise: string) => (e ? `(${emit(this.node(e))})` : otherwise);
    const lines = targets.flatMap((t, i) => [
      `f[${i}] = ${code(t.bioavailability, '1')}${t.volume ? ` / ${code(t.volume, '1')}` : ''};`,
      `lag[${i}] = ${code(t.lag, '0')};`,
      ...(infusions
        ? [`duration[${i}] = ${code(t.duration, '0')};`, `rate[${i}] = ${code(t.rate, '0')};`]
        : [])
    ]);
    return [this.fn('doseFactors(p, f, lag, duration, rate)', lines) + ','];
  }

  /** The `doses` block, or without one every state under its own name. */
  private odeDoseTargets(): DoseTargetDeclaration[] {
    const tree = this.tree;
    if (!tree.doses.length) return tree.states.map((s, i) => ({ name: s.name, state: i }));
    return tree.doses.map((d) => ({
      name: d.name,
      state: this.checked.symbols.get(d.state.name)!.index,
      bioavailability: parameterNamed(d.bioavailability, this.checked),
      lag: parameterNamed(d.lag, this.checked),
      volume: parameterNamed(d.volume, this.checked)
    }));
  }
}

/** Arithmetic nodes an inlined individual quantity may have (its own, not its uses'). */
const MAX_INLINE_SIZE = 4;

/** At most `budget` nodes of + - * / and unary minus over numbers and names. */
function isCheap(e: Expr, budget: number): boolean {
  let size = 0;
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (++size > budget) return false;
    if (x.kind === 'binary') {
      if (!['+', '-', '*', '/'].includes(x.op)) return false;
      stack.push(x.left, x.right);
    } else if (x.kind === 'unary') {
      if (x.op !== '-') return false;
      stack.push(x.arg);
    } else if (x.kind !== 'number' && x.kind !== 'name') return false;
  }
  return true;
}

type DoseSettings = Pick<DoseStatement, 'bioavailability' | 'lag' | 'volume' | 'duration' | 'rate'>;

function hasInfusions(targets: DoseSettings[]): boolean {
  return targets.some((t) => t.duration || t.rate);
}

/** The parameter an expression only names (read by slot), else undefined. */
function parameterNamed(e: ModelExpr | undefined, checked: CheckedModel): string | undefined {
  const x = e?.tree;
  return x?.kind === 'name' && checked.symbols.get(x.name)?.kind === 'parameter' ? x.name : undefined;
}

function outputDeclaration(tree: ModelTree, o: number): OutputDeclaration {
  const out = tree.outputs[o];
  const declaration = { name: out.name, unit: out.unit?.text ?? '', description: out.description };
  return out.hazard ? { ...declaration, hazard: true } : declaration;
}

const TRANSFORMS = { lognormal: 'lognormal', normal: 'normal', logit: 'logitnormal' } as const;

function defaults(checked: CheckedModel): ModelSpec {
  const tree = checked.tree;
  const spec: ModelSpec = { model: tree.name!.name };
  const seen = new Set<string>();
  const variability = tree.variability.filter((v) => !seen.has(v.name) && seen.add(v.name));
  if (variability.length) {
    spec.iiv = {
      parameters: variability.map((v) => v.name),
      omega: checked.omega,
      transforms: Object.fromEntries(variability.map((v) => [v.name, TRANSFORMS[v.distribution]])),
      bounds: Object.fromEntries(
        variability
          .filter((v) => v.distribution === 'logit')
          .map((v) => [v.name, [v.lower ?? 0, v.upper ?? 1]])
      )
    };
  }
  const errors = tree.outputs.filter((o) => o.error);
  if (errors.length) spec.residualError = Object.fromEntries(errors.map((o) => [o.name, { ...o.error! }]));
  return spec;
}
