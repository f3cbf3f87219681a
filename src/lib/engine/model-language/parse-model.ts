/**
 * Statements → the typed model tree. Each statement is parsed on its own: a problem is
 * recorded with its position and parsing goes on with the next statement, so a file's
 * problems are all reported at once. Expressions go to the shared Pratt parser
 * (engine/expr), whose positions are shifted to the file's.
 */
import { ExpressionError, parseExpression, type Expr } from '../expr';
import {
  emptyTree,
  PK_ARGUMENTS,
  type Assignment,
  type Distribution,
  type ErrorModel,
  type ModelExpr,
  type ModelTree,
  type Named,
  type PkArgument,
  type UnitText
} from './model-tree';
import { MAX_MODEL_BYTES, SourceText, type Statement } from './source-text';
import { tokenizeStatement, TokenError, type StatementToken } from './statement-tokens';

export const MAX_STATES = 500;

/** Statements that stand alone before the blocks. */
export const HEADERS = ['model', 'title', 'reference', 'solver', 'tolerance', 'pk'] as const;

export const BLOCKS = [
  'parameters',
  'variability',
  'covariates',
  'individual',
  'states',
  'odes',
  'outputs',
  'hazards',
  'doses'
] as const;
type Block = (typeof BLOCKS)[number];

/** A statement that cannot be parsed: its offset and why. */
class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message);
  }
}

export function parseModel(source: SourceText): ModelTree {
  const tree = emptyTree();
  if (source.text.length > MAX_MODEL_BYTES) {
    source.error(0, `the model is ${source.text.length} characters; at most ${MAX_MODEL_BYTES} are read`);
    return tree;
  }
  let block: Block | undefined;
  let tooManyStates = false;
  for (const statement of source.statements()) {
    let c: Cursor | undefined;
    try {
      c = new Cursor(statement);
      const first = c.peek();
      const keyword = first.type === 'name' ? first.value : '';
      if (c.tokens.length === 2 && (BLOCKS as readonly string[]).includes(keyword)) {
        block = keyword as Block;
        continue;
      }
      if (parseHeader(c, tree)) {
        block = undefined;
        continue;
      }
      if (!block) {
        throw new ParseError(
          `expected a header statement (${HEADERS.join(', ')}) or a block keyword (${BLOCKS.join(', ')})`,
          first.offset
        );
      }
      if (block === 'states' && tree.states.length >= MAX_STATES) {
        if (!tooManyStates) source.error(first.offset, `more than ${MAX_STATES} states`);
        tooManyStates = true;
        // Their d/dt statements are not reported again as derivatives of no state.
        tree.unparsed.add(declaredName(statement.text));
        continue;
      }
      parseBlockStatement(block, c, tree);
    } catch (e) {
      if (!(e instanceof ParseError || e instanceof TokenError)) throw e;
      source.error(e.offset, e.message);
      tree.unparsed.add(declaredName(statement.text));
    }
  }
  return tree;
}

function parseHeader(c: Cursor, tree: ModelTree): boolean {
  const t = c.peek();
  if (t.type !== 'name') return false;
  const second = c.tokens[1];
  // `model = …` or `title ~ …` would be statements of a block, not headers.
  if (second.type === 'op' && (second.value === '=' || second.value === '~' || second.value === '->'))
    return false;
  switch (t.value) {
    case 'model':
      c.next();
      tree.name = c.name('the model name');
      break;
    case 'title':
    case 'reference': {
      c.next();
      const s = c.next();
      if (s.type !== 'string') throw new ParseError(`expected "text" after ${t.value}`, s.offset);
      tree[t.value] = s.value;
      break;
    }
    case 'solver': {
      c.next();
      const s = c.name('auto or stiff');
      if (s.name !== 'auto' && s.name !== 'stiff')
        throw new ParseError(`solver is auto or stiff, not '${s.name}'`, s.offset);
      tree.solver = s.name;
      tree.solverOffset = t.offset;
      break;
    }
    case 'tolerance': {
      c.next();
      const args = c.namedNumbers(['rtol', 'atol']);
      const rtol = args.get('rtol') ?? 1e-6;
      const atol = args.get('atol') ?? 1e-9;
      if (!(rtol > 0 && atol > 0)) throw new ParseError(`rtol and atol must be greater than 0`, t.offset);
      tree.tolerance = { rtol, atol };
      break;
    }
    case 'pk':
      c.next();
      parsePk(c, tree, t.offset);
      break;
    default:
      return false;
  }
  c.end();
  return true;
}

const PK_STRUCTURES: Record<string, 1 | 2 | 3> = Object.assign(Object.create(null), {
  one_compartment: 1,
  two_compartment: 2,
  three_compartment: 3
});

function parsePk(c: Cursor, tree: ModelTree, offset: number): void {
  if (tree.pk) throw new ParseError(`a second pk declaration (one per model)`, offset);
  const kind = c.name('one_compartment, two_compartment or three_compartment');
  const compartments = PK_STRUCTURES[kind.name];
  if (!compartments)
    throw new ParseError(
      `unknown pk structure '${kind.name}' (one_compartment, two_compartment or three_compartment)`,
      kind.offset
    );
  c.op('(');
  const route = c.name('iv or oral');
  if (route.name !== 'iv' && route.name !== 'oral')
    throw new ParseError(`the pk route is iv or oral, not '${route.name}'`, route.offset);
  const args = new Map<PkArgument, ModelExpr>();
  while (c.accept(',')) {
    const n = c.name('a pk parameter');
    if (!(PK_ARGUMENTS as readonly string[]).includes(n.name))
      throw new ParseError(
        `unknown pk parameter '${n.name}' (allowed: ${PK_ARGUMENTS.join(', ')})`,
        n.offset
      );
    if (args.has(n.name as PkArgument)) throw new ParseError(`${n.name} is given twice`, n.offset);
    c.op('=');
    args.set(n.name as PkArgument, c.expression(true));
  }
  c.op(')');
  tree.pk = { offset, compartments, route: route.name, args };
}

function parseBlockStatement(block: Block, c: Cursor, tree: ModelTree): void {
  switch (block) {
    case 'parameters': {
      const name = c.name('a parameter name');
      c.op('=');
      const value = c.constant();
      const unit = c.unit();
      tree.parameters.push({ ...name, value, unit, description: c.description() });
      break;
    }
    case 'variability':
      parseVariability(c, tree);
      break;
    case 'covariates':
      tree.covariates.push(c.assignment());
      break;
    case 'individual':
      tree.individual.push(c.assignment());
      break;
    case 'states': {
      const name = c.name('a state name');
      let initial: ModelExpr | undefined;
      if (c.accept('(')) {
        const zero = c.next();
        if (zero.type !== 'number' || Number(zero.value) !== 0)
          throw new ParseError(`an initial condition is written NAME(0) = expression`, zero.offset);
        c.op(')');
        c.op('=');
        initial = c.expression(false);
      }
      const unit = c.unit();
      tree.states.push({ ...name, initial, unit, description: c.description() });
      break;
    }
    case 'odes': {
      const t = c.peek();
      if (t.type === 'name' && t.value === 'd' && c.tokens[1].type === 'op' && c.tokens[1].value === '/') {
        c.next();
        c.op('/');
        const dt = c.name('dt');
        if (dt.name !== 'dt') throw new ParseError(`a derivative is written d/dt(STATE)`, dt.offset);
        c.op('(');
        const state = c.name('a state name');
        c.op(')');
        c.op('=');
        tree.derivatives.push({ state, expr: c.expression(false), offset: t.offset });
      } else {
        tree.intermediates.push(c.assignment());
      }
      break;
    }
    case 'outputs': {
      const name = c.name('an output name');
      c.op('=');
      const expr = c.expression(false);
      const unit = c.unit();
      let error: ErrorModel | undefined;
      if (c.accept('~')) error = parseErrorModel(c);
      tree.outputs.push({ ...name, expr, unit, error, description: c.description() });
      break;
    }
    case 'hazards': {
      // A hazard is an output (its value per hour) a time-to-event endpoint may name.
      const name = c.name('a hazard name');
      c.op('=');
      const expr = c.expression(false);
      const unit = c.unit();
      if (c.peekOp('~'))
        throw new ParseError(
          `a hazard has no residual error (declare an output to observe it)`,
          c.peek().offset
        );
      tree.outputs.push({ ...name, expr, unit, description: c.description(), hazard: true });
      break;
    }
    case 'doses':
      parseDose(c, tree);
      break;
  }
  c.end();
}

function parseVariability(c: Cursor, tree: ModelTree): void {
  const name = c.name('a parameter name or cor');
  if (name.name === 'cor' && c.peekOp('(')) {
    c.op('(');
    const a = c.name('a parameter name');
    c.op(',');
    const b = c.name('a parameter name');
    c.op(')');
    c.op('=');
    tree.correlations.push({ a, b, value: c.constant(), offset: name.offset });
    return;
  }
  c.op('~');
  const d = c.name('lognormal, normal or logit');
  if (d.name !== 'lognormal' && d.name !== 'normal' && d.name !== 'logit')
    throw new ParseError(`unknown distribution '${d.name}' (lognormal, normal or logit)`, d.offset);
  const allowed = d.name === 'logit' ? ['var', 'sd', 'lower', 'upper'] : ['var', 'sd'];
  const args = c.namedNumbers(allowed);
  const sd = args.get('sd');
  const v = args.get('var');
  if ((sd === undefined) === (v === undefined))
    throw new ParseError(`give exactly one of var = … or sd = …`, d.offset);
  const variance = v ?? sd! * sd!;
  if (!(variance > 0)) throw new ParseError(`the variance must be greater than 0`, d.offset);
  tree.variability.push({
    ...name,
    distribution: d.name as Distribution,
    variance,
    lower: args.get('lower'),
    upper: args.get('upper')
  });
}

function parseErrorModel(c: Cursor): ErrorModel {
  const kind = c.name('additive, proportional, combined or exponential');
  if (kind.name === 'combined') {
    const args = c.namedNumbers(['add', 'prop']);
    const additive = args.get('add');
    const proportional = args.get('prop');
    if (additive === undefined || proportional === undefined)
      throw new ParseError(`combined error is written combined(add = sd, prop = sd)`, kind.offset);
    return {
      type: 'combined',
      additive: nonNegative(additive, kind),
      proportional: nonNegative(proportional, kind)
    };
  }
  if (kind.name !== 'additive' && kind.name !== 'proportional' && kind.name !== 'exponential')
    throw new ParseError(
      `unknown error model '${kind.name}' (additive, proportional, combined or exponential)`,
      kind.offset
    );
  c.op('(');
  const sd = nonNegative(c.constant(true), kind);
  c.op(')');
  return kind.name === 'proportional'
    ? { type: 'proportional', proportional: sd }
    : { type: kind.name, additive: sd };
}

function nonNegative(x: number, at: Named): number {
  if (!(x >= 0)) throw new ParseError(`a standard deviation must be ≥ 0, got ${x}`, at.offset);
  return x;
}

const DOSE_SETTINGS = new Map<string, 'bioavailability' | 'lag' | 'volume' | 'duration' | 'rate'>([
  ['F', 'bioavailability'],
  ['lag', 'lag'],
  ['volume', 'volume'],
  ['duration', 'duration'],
  ['rate', 'rate']
]);

function parseDose(c: Cursor, tree: ModelTree): void {
  const name = c.name('a dose target name');
  c.op('->');
  const state = c.name('a state name');
  const dose: ModelTree['doses'][number] = { ...name, state };
  if (c.accept('(')) {
    do {
      const key = c.name('F, lag, volume, duration or rate');
      const field = DOSE_SETTINGS.get(key.name);
      if (!field)
        throw new ParseError(
          `unknown dose setting '${key.name}' (F, lag, volume, duration, rate)`,
          key.offset
        );
      if (dose[field]) throw new ParseError(`${key.name} is given twice`, key.offset);
      if ((field === 'duration' && dose.rate) || (field === 'rate' && dose.duration))
        throw new ParseError(`give an infusion's duration or its rate, not both`, key.offset);
      c.op('=');
      dose[field] = c.expression(true);
    } while (c.accept(','));
    c.op(')');
  }
  tree.doses.push(dose);
}

/** What a statement that failed to parse would have declared, read from its text. */
function declaredName(text: string): string {
  const derivative = /^\s*d\s*\/\s*dt\s*\(\s*([A-Za-z][A-Za-z0-9_]*)/.exec(text);
  if (derivative) return `d/dt(${derivative[1]})`;
  return /^\s*([A-Za-z][A-Za-z0-9_]*)/.exec(text)?.[1] ?? '';
}

/** Walks the tokens of one statement. */
class Cursor {
  readonly tokens: StatementToken[];
  private k = 0;

  constructor(private readonly statement: Statement) {
    this.tokens = tokenizeStatement(statement.text, statement.offset);
  }

  peek(): StatementToken {
    return this.tokens[this.k];
  }

  next(): StatementToken {
    const t = this.tokens[this.k];
    if (t.type !== 'end') this.k++;
    return t;
  }

  peekOp(value: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === value;
  }

  accept(value: string): boolean {
    if (!this.peekOp(value)) return false;
    this.k++;
    return true;
  }

  op(value: string): void {
    const t = this.next();
    if (t.type !== 'op' || t.value !== value)
      throw new ParseError(`expected '${value}' but found ${show(t)}`, t.offset);
  }

  name(what: string): Named {
    const t = this.next();
    if (t.type !== 'name') throw new ParseError(`expected ${what} but found ${show(t)}`, t.offset);
    return { name: t.value, offset: t.offset };
  }

  end(): void {
    const t = this.peek();
    if (t.type !== 'end') throw new ParseError(`unexpected ${show(t)}`, t.offset);
  }

  unit(): UnitText | undefined {
    const t = this.peek();
    if (t.type !== 'unit') return undefined;
    this.k++;
    return { text: t.value, offset: t.offset + 1 };
  }

  description(): string {
    const t = this.peek();
    if (t.type !== 'string') return '';
    this.k++;
    return t.value;
  }

  /** `NAME = expression [unit] "description"` */
  assignment(): Assignment {
    const name = this.name('a name');
    this.op('=');
    const expr = this.expression(false);
    const unit = this.unit();
    return { ...name, expr, unit, description: this.description() };
  }

  /**
   * The expression from here to the next unit, description, `~` or end of statement (in
   * an argument list also to the next `,` or `)` at depth 0), parsed by engine/expr.
   */
  expression(inArguments: boolean): ModelExpr {
    const start = this.peek();
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.type === 'end' || t.type === 'unit' || t.type === 'string') break;
      if (t.type === 'op') {
        if (t.value === '~' && depth === 0) break;
        if (inArguments && depth === 0 && (t.value === ',' || t.value === ')')) break;
        if (t.value === '(') depth++;
        if (t.value === ')') depth--;
      }
      this.k++;
    }
    const stop = this.peek();
    if (stop === start) throw new ParseError(`expected an expression but found ${show(stop)}`, stop.offset);
    const text = this.statement.text.slice(
      start.offset - this.statement.offset,
      stop.offset - this.statement.offset
    );
    try {
      return { tree: parseExpression(text), offset: start.offset };
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      // `X = 1 + "text"` ends the expression early: name what stopped it.
      if (e.pos >= text.trimEnd().length && stop.type !== 'end')
        throw new ParseError(`expected an expression but found ${show(stop)}`, stop.offset);
      const suffix = e.message.indexOf(` at column ${e.pos + 1} of "`);
      throw new ParseError(suffix >= 0 ? e.message.slice(0, suffix) : e.message, start.offset + e.pos);
    }
  }

  /** A number, written as a constant expression (`0.3`, `-1`, `0.2^2`). */
  constant(inArguments = false): number {
    const e = this.expression(inArguments);
    const v = constantValue(e.tree);
    if (v === undefined || !Number.isFinite(v)) throw new ParseError(`expected a finite number`, e.offset);
    return v;
  }

  /** `(name = number, …)` with names from `allowed`. */
  namedNumbers(allowed: string[]): Map<string, number> {
    const out = new Map<string, number>();
    this.op('(');
    if (!this.peekOp(')')) {
      do {
        const key = this.name(allowed.join(', '));
        if (!allowed.includes(key.name))
          throw new ParseError(`unknown setting '${key.name}' (allowed: ${allowed.join(', ')})`, key.offset);
        if (out.has(key.name)) throw new ParseError(`${key.name} is given twice`, key.offset);
        this.op('=');
        out.set(key.name, this.constant(true));
      } while (this.accept(','));
    }
    this.op(')');
    return out;
  }
}

function show(t: StatementToken): string {
  if (t.type === 'end') return 'the end of the statement';
  if (t.type === 'string') return `"${t.value}"`;
  if (t.type === 'unit') return `[${t.value}]`;
  return `'${t.value}'`;
}

/** The value of an expression of numbers only, or undefined. */
export function constantValue(e: Expr): number | undefined {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'unary': {
      const a = constantValue(e.arg);
      return a === undefined || e.op !== '-' ? undefined : -a;
    }
    case 'binary': {
      const a = constantValue(e.left);
      const b = constantValue(e.right);
      if (a === undefined || b === undefined) return undefined;
      if (e.op === '+') return a + b;
      if (e.op === '-') return a - b;
      if (e.op === '*') return a * b;
      if (e.op === '/') return a / b;
      if (e.op === '^') return Math.pow(a, b);
      return undefined;
    }
    default:
      return undefined;
  }
}
