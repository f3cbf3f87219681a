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
  private env = new Map<string, string | Partial>();
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
    const before = new Map(this.env);
    const endpoints = this.endpoints.length;
    this.run(s.then, section);
    const afterThen = this.env;
    this.env = new Map(before);
    this.run(s.else, section);
    const afterElse = this.env;
    this.env = new Map(before);
    if (this.endpoints.length > endpoints)
      throw new SourceError(
        `an error model (~) inside an if is not supported`,
        this.endpoints[endpoints].offset
      );
    const changed = new Set<string>();
    for (const [name, v] of [...afterThen, ...afterElse]) if (before.get(name) !== v) changed.add(name);
    for (const name of changed) {
      const a = afterThen.get(name);
      const b = afterElse.get(name);
      if (typeof a === 'string' && typeof b === 'string') {
        const ref = (key: string) => ({ k: 'name', name: key, offset: s.offset }) as const;
        this.assign(name, { k: 'if', c: cond, a: ref(a), b: ref(b), offset: s.offset }, s.offset, section);
      } else this.env.set(name, { offset: s.offset });
    }
  }
}

/** The keys read by an expression. */
export function keysIn(e: SourceExpr): string[] {
  return namesIn(e).filter((n) => n.includes('#'));
}
