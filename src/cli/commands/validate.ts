import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { isMap, parseDocument } from 'yaml';
import { NodeConnector } from '../../lib/db/node-connector';
import { readImportedTable } from '../../lib/io/twin-file';
import { loadCohortSpec } from '../../lib/load/load-cohort';
import { checkDataFile } from '../data-file';
import { action } from '../errors';
import { readProtocolFile } from '../protocol-file';
import { readSpecFile } from '../read-spec-file';

/**
 * A protocol has arms; anything else is read as a cohort. Only a text that mentions
 * arms is parsed here (the loader parses it again), and without expanding aliases.
 */
function isProtocol(text: string): boolean {
  if (!text.includes('arms')) return false;
  const doc = parseDocument(text, { uniqueKeys: false });
  return isMap(doc.contents) && doc.contents.has('arms');
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a cohort or protocol file and print every error with its line and field')
    .argument('<file>', 'a cohort or protocol .yaml file')
    .action(
      action(async (file: string) => {
        const text = readSpecFile(file);
        if (isProtocol(text)) {
          await readProtocolFile(file);
          process.stdout.write(`${file}: valid protocol\n`);
          return;
        }
        const spec = loadCohortSpec(text, file);
        if (spec.import) {
          const path = resolve(dirname(file), spec.import.file);
          checkDataFile(path);
          const db = await NodeConnector.open();
          try {
            const imported = await readImportedTable(db, path, spec.import.categorical);
            loadCohortSpec(text, file, imported);
          } finally {
            await db.close();
          }
        }
        process.stdout.write(`${file}: valid cohort spec\n`);
      })
    );
}
