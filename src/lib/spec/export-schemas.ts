import { writeFileSync, mkdirSync } from 'node:fs';
import { z } from 'zod';
import { cohortSpec } from './cohort-schema';
import { protocolSpec } from './protocol-schema';

/**
 * Writes the JSON Schemas of the spec formats to static/schema/, so editors can
 * autocomplete and check cohort and protocol files. Run with `npm run schemas`;
 * a test fails when the committed files are out of date.
 */
export function specJsonSchemas(): Record<string, unknown> {
  return {
    'cohort.schema.json': {
      $id: 'https://twinbench.dev/schema/cohort.schema.json',
      title: 'Twinbench cohort spec',
      ...z.toJSONSchema(cohortSpec, { io: 'input', unrepresentable: 'any' })
    },
    'protocol.schema.json': {
      $id: 'https://twinbench.dev/schema/protocol.schema.json',
      title: 'Twinbench trial protocol',
      ...z.toJSONSchema(protocolSpec, { io: 'input', unrepresentable: 'any' })
    }
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = new URL('../../../static/schema/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  for (const [name, schema] of Object.entries(specJsonSchemas())) {
    writeFileSync(dir + name, JSON.stringify(schema, null, 2) + '\n');
    process.stdout.write(`wrote static/schema/${name}\n`);
  }
}
