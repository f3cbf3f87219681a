/**
 * The model language: text → checked tree → `ModelDefinition` (see docs/model-language.md).
 * Pure: no I/O. `compileModelText` throws a `ModelLanguageError` holding every problem
 * with its line and column; compiled models are cached by a hash of their text.
 */
import { checkModel, type CheckedModel } from './check-model';
import { compileModel, type CompiledModel } from './compile-model';
import { parseModel } from './parse-model';
import { MAX_MODEL_BYTES, ModelLanguageError, SourceText, type Diagnostic } from './source-text';

export { ModelLanguageError, formatDiagnostics, MAX_MODEL_BYTES, type Diagnostic } from './source-text';
export { MAX_STATES } from './parse-model';
export type { CompiledModel } from './compile-model';
export type { CheckedModel } from './check-model';
export type { ModelTree } from './model-tree';

/** Parses and checks a model text; the checked model only when there is no problem. */
export function checkModelText(text: string): { checked?: CheckedModel; diagnostics: Diagnostic[] } {
  const source = new SourceText(text);
  const tree = parseModel(source);
  // A refused file (too large) has nothing to check.
  if (source.text.length > MAX_MODEL_BYTES) return { diagnostics: source.diagnostics };
  const checked = checkModel(tree, source);
  return source.diagnostics.length ? { diagnostics: source.diagnostics } : { checked, diagnostics: [] };
}

const CACHE_SIZE = 32;
const cache = new Map<string, { text: string; compiled: CompiledModel }>();

export function compileModelText(text: string, file = 'model'): CompiledModel {
  const key = hashText(text);
  const hit = cache.get(key);
  if (hit && hit.text === text) {
    // Most recently used last, so the oldest is the first evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit.compiled;
  }
  const { checked, diagnostics } = checkModelText(text);
  if (!checked) throw new ModelLanguageError(file, diagnostics);
  const compiled = compileModel(checked);
  cache.set(key, { text, compiled });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return compiled;
}

/** 64-bit FNV-1a over UTF-16 code units, as hex (two 32-bit halves with different seeds). */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
