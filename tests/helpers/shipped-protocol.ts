import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ResolvedProtocol } from '../../src/lib/engine/trial';
import { loadProtocol } from '../../src/lib/load/load-protocol';

/** A shipped protocol (protocols/<file>) loaded as the CLI loads it, its model files read from disk. */
export function shippedProtocol(file: string): ResolvedProtocol {
  const path = resolve('protocols', file);
  return loadProtocol(readFileSync(path, 'utf8'), path, (name) => {
    const full = resolve(dirname(path), name);
    return { text: readFileSync(full, 'utf8'), file: full };
  });
}
