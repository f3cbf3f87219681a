/**
 * Which definitions change with time: those reading time, a state, the closed-form
 * concentration or another such definition. The rest are per-individual quantities.
 */
import type { Definition } from './flatten';
import { CONCENTRATION } from './imported-model';
import { namesIn, TIME } from './source-expr';

export function dynamicKeys(
  definitions: readonly Definition<unknown>[],
  states: readonly string[]
): Set<string> {
  const dynamic = new Set<string>([TIME, CONCENTRATION, ...states]);
  // Definitions come in the order they are computed: one pass sees every dependency first.
  for (const d of definitions) if (namesIn(d.expr).some((n) => dynamic.has(n))) dynamic.add(d.key);
  return dynamic;
}
