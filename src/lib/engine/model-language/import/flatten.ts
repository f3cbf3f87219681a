/**
 * Statements with reassignments and if/else → single assignments, as the model language
 * needs (each name declared once, no statements inside conditions). Every assignment
 * makes a new version of its variable (key `NAME#n`); after an if/else, a variable
 * assigned in it gets a version `if(condition, value after then, value after else)`.
 * Reads refer to the version current at that point, so the meaning of sequential code
 * is kept exactly. The writer names the last version of each variable by its own name.
 */
import { namesIn, substitute, type SourceExpr } from './source-expr';
import type { ErrorTerm, SourceStatement } from './statements';
import { SourceError } from './tokens';

export interface Definition<S> {
  key: string;
  /** The source's name of the variable. */
  base: string;
  expr: SourceExpr;
  offset: number;
  section: S;
  capture?: boolean;
}

export interface Endpoint {
  target: string;
  /** The version of the target the error applies to (or the target itself: a state). */
  key: string;
  terms: ErrorTerm[];
  offset: number;
}

/** A variable given a value on one branch only: an error if anything reads it. */
interface Partial {
  offset: number;
}

export class Flattener<S> {
  readonly definitions: Definition<S>[] = [];
  readonly endpoints: Endpoint[] = [];
  readonly compartments: { name: string; offset: number }[] = [];
  readonly captured = new Set<string>();
  private readonly env = new Map<string, string | Partial>();
  private readonly versions = new Map<string, number>();

  run(statements: SourceStatement[], section: S): void {
    for (const s of statements) {
      switch (s.k) {
        case 'assign':
          this.assign(s.target, this.resolve(s.expr), s.offset, section);
          if (s.capture) this.captured.add(s.target);
          break;
        case 'tilde':
          this.endpoints.push({
            target: s.target,
            key: this.current(s.target) ?? s.target,
            terms: s.terms.map((t) => ({ ...t, args: t.args.map((a) => this.resolve(a)) })),
            offset: s.offset
          });
          break;
        case 'cmt':
          this.compartments.push({ name: s.name, offset: s.offset });
          break;
        case 'if':
          this.branch(s, section);
      }
    }
  }

  private taken = new Set<string>();
  private reads?: Map<string, number>;

  /**
   * Takes the last version of a variable out of the definitions (a derivative, an
   * initial condition, a dose property: a statement of its own in the model language);
   * refused when another statement reads it.
   */
  take(base: string): Definition<S> | undefined {
    const value = this.env.get(base);
    if (value !== undefined && typeof value !== 'string')
      throw new SourceError(`'${base}' has a value on only one branch of an if`, value.offset);
    const key = this.current(base);
    if (!key) return undefined;
    if (!this.reads) {
      this.reads = new Map();
      for (const d of this.definitions)
        for (const n of namesIn(d.expr)) this.reads.set(n, (this.reads.get(n) ?? 0) + 1);
    }
    const d = this.definitions.find((x) => x.key === key)!;
    if (this.reads.get(key)) throw new SourceError(`'${base}' is read by another statement`, d.offset);
    this.taken.add(key);
    return d;
  }

  /** The definitions not taken. */
  remaining(): Definition<S>[] {
    return this.definitions.filter((d) => !this.taken.has(d.key));
  }

  /** The current version of a variable, or undefined when it has none (a parameter, a state). */
  current(base: string): string | undefined {
    const v = this.env.get(base);
    return typeof v === 'string' ? v : undefined;
  }

  /** The expression with each variable read replaced by its current version's key. */
  resolve(e: SourceExpr): SourceExpr {
    return substitute(e, (name, at) => {
      const v = this.env.get(name);
      if (v === undefined) return at;
      if (typeof v !== 'string')
        throw new SourceError(
          `'${name}' is used here but has a value on only one branch of an if`,
          at.offset
        );
      return { k: 'name', name: v, offset: at.offset };
    });
  }

  private assign(base: string, expr: SourceExpr, offset: number, section: S): void {
    const n = (this.versions.get(base) ?? 0) + 1;
    this.versions.set(base, n);
    const key = `${base}#${n}`;
    this.definitions.push({ key, base, expr, offset, section });
    this.env.set(base, key);
  }

  private branch(s: Extract<SourceStatement, { k: 'if' }>, section: S): void {
    const cond = this.resolve(s.cond);
    // Only the variables the branches assign can change: save and restore just those.
    const assigned = [...new Set([...assignedIn(s.then), ...assignedIn(s.else)])];
    const before = assigned.map((name) => this.env.get(name));
    const restore = () => assigned.forEach((name, i) => this.setOrDelete(name, before[i]));
    const endpoints = this.endpoints.length;
    this.run(s.then, section);
    const afterThen = assigned.map((name) => this.env.get(name));
    restore();
    this.run(s.else, section);
    const afterElse = assigned.map((name) => this.env.get(name));
    restore();
    if (this.endpoints.length > endpoints)
      throw new SourceError(
        `an error model (~) inside an if is not supported`,
        this.endpoints[endpoints].offset
      );
    assigned.forEach((name, i) => {
      const [a, b] = [afterThen[i], afterElse[i]];
      if (a === before[i] && b === before[i]) return;
      if (typeof a === 'string' && typeof b === 'string') {
        const ref = (key: string) => ({ k: 'name', name: key, offset: s.offset }) as const;
        this.assign(name, { k: 'if', c: cond, a: ref(a), b: ref(b), offset: s.offset }, s.offset, section);
      } else this.env.set(name, { offset: s.offset });
    });
  }

  private setOrDelete(name: string, value: string | Partial | undefined): void {
    if (value === undefined) this.env.delete(name);
    else this.env.set(name, value);
  }
}

/** The names a list of statements assigns, inside ifs too. */
function assignedIn(statements: SourceStatement[], out: string[] = []): string[] {
  for (const s of statements) {
    if (s.k === 'assign') out.push(s.target);
    else if (s.k === 'if') {
      assignedIn(s.then, out);
      assignedIn(s.else, out);
    }
  }
  return out;
}

/** The keys read by an expression. */
export function keysIn(e: SourceExpr): string[] {
  return namesIn(e).filter((n) => n.includes('#'));
}
