import { extname } from 'node:path';
import { parseModelSpec, type ModelSpec } from '../lib/engine/models/spec';
import { UsageError } from './errors';
import { readProtocolFile } from './protocol-file';
import { MODEL_FILE_LIMIT, readSpecFile } from './read-spec-file';

/** The model spec `--model` names: a model file's own, or a protocol's model section. */
export async function readModelSpec(file: string): Promise<ModelSpec> {
  const ext = extname(file).toLowerCase();
  if (ext === '.model')
    return parseModelSpec({ model: { file, text: readSpecFile(file, MODEL_FILE_LIMIT) } }).spec;
  if (ext === '.yaml' || ext === '.yml') return (await readProtocolFile(file)).model;
  throw new UsageError(
    `--model ${file}: unknown file type '${ext || '(none)'}'; use a model file (.model) or a protocol (.yaml, .yml)`
  );
}
