import type { ComparisonMethod } from '../../analysis/compare-types';
import type { RepeatedMethod } from '../../analysis/repeated-analysis';
import { STAT_METHODS } from './stat-methods';

/**
 * The /help anchor that explains a comparison method ('welch_t' → 'welch-t'), so a page can
 * link a method name to its section. Every method has one: a unit test checks it against the
 * comparison layer's list of methods.
 */
export function methodHelpAnchor(method: ComparisonMethod): string | null {
  return STAT_METHODS.find((s) => s.methods.includes(method))?.id ?? null;
}

/** The link to a method's section, or to the statistics overview when it has none. */
export function methodHelpHref(method: ComparisonMethod): string {
  return `/help#${methodHelpAnchor(method) ?? 'statistics'}`;
}

/** The /help anchor that explains a repeated-measures analysis ('mi_j2r' → 'multiple-imputation'). */
export function repeatedHelpAnchor(method: RepeatedMethod): string | null {
  return STAT_METHODS.find((s) => s.repeated?.includes(method))?.id ?? null;
}
