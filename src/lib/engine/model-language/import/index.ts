/**
 * `twinbench model import`: mrgsolve and rxode2 model files → the model language's text
 * (docs/model-language.md, "Importing mrgsolve and rxode2 models"). Pure: text in, text
 * out. Anything outside the common arithmetic subset is refused as a
 * `ModelLanguageError` with its `file:line:col`.
 */
import { MAX_MODEL_BYTES, ModelLanguageError, SourceText } from '../source-text';
import { writeModel } from './assemble';
import type { Tool } from './imported-model';
import { importMrgsolve } from './mrgsolve';
import { importRxode2 } from './rxode2';
import { SourceError } from './tokens';

export type { Tool } from './imported-model';

/** The tool a file comes from, by its extension; undefined for a model-language file. */
export function toolOf(file: string): Tool | undefined {
  if (/\.(cpp|mod)$/i.test(file)) return 'mrgsolve';
  if (/\.(r|rxode)$/i.test(file)) return 'rxode2';
  return undefined;
}

export function importModelText(text: string, file: string, tool: Tool): string {
  const name = (file.split(/[\\/]/).pop() ?? 'model').replace(/\.[^.]*$/, '') || 'model';
  try {
    if (text.length > MAX_MODEL_BYTES)
      throw new SourceError(`the model is ${text.length} characters; at most ${MAX_MODEL_BYTES} are read`, 0);
    const model = tool === 'mrgsolve' ? importMrgsolve(text, name) : importRxode2(text, name);
    return writeModel(model, file.split(/[\\/]/).pop() ?? file);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const at = new SourceText(text).position(e.offset);
    throw new ModelLanguageError(file, [{ ...at, message: e.message }]);
  }
}
