import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadProtocol } from '../lib/spec/load-protocol';

/** Reads a protocol file; its cohort file is read relative to the protocol. */
export function readProtocolFile(file: string) {
  return loadProtocol(readFileSync(file, 'utf8'), file, (cohortFile) => {
    const path = resolve(dirname(file), cohortFile);
    return { text: readFileSync(path, 'utf8'), file: path };
  });
}
