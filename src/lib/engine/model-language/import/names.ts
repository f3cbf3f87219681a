/**
 * Source names → model-language names: letters, digits and `_`, starting with a letter,
 * at most 64 characters (rxode2's `eta.cl` becomes `eta_cl`), never a reserved word,
 * and unique (a clash gets `_2`, `_3`…). The first to claim a name keeps it.
 */
import { PK_NAMES, RESERVED_NAMES } from '../check-model';
import { BLOCKS, HEADERS } from '../parse-model';
import { MAX_NAME_LENGTH } from '../statement-tokens';

/** The checker's reserved names and every keyword of the language (a statement may not start with one). */
const RESERVED = new Set([...RESERVED_NAMES, 'd', 'cor', ...HEADERS, ...BLOCKS]);
const PK_RESERVED = ['C', ...PK_NAMES];

export class NameTable {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(pk: boolean) {
    RESERVED.forEach((n) => this.taken.add(n));
    if (pk) PK_RESERVED.forEach((n) => this.taken.add(n));
  }

  /** Gives `key` a name made from `wanted`; returns it (the same one if claimed before). */
  claim(key: string, wanted: string): string {
    const had = this.byKey.get(key);
    if (had) return had;
    const base = sanitize(wanted);
    let name = base;
    for (let n = 2; this.taken.has(name); n++)
      name = `${base.slice(0, MAX_NAME_LENGTH - 1 - String(n).length)}_${n}`;
    this.taken.add(name);
    this.byKey.set(key, name);
    return name;
  }

  get(key: string): string {
    return this.byKey.get(key) ?? this.claim(key, key);
  }

  /** The model's own name (a header, not a quantity: only made valid). */
  modelName(wanted: string): string {
    const name = sanitize(wanted);
    return RESERVED.has(name) ? `${name}_model` : name;
  }
}

function sanitize(wanted: string): string {
  let name = wanted.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z]/.test(name)) name = `x${name}`;
  return name.slice(0, MAX_NAME_LENGTH);
}
