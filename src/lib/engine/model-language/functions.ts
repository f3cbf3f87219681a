/**
 * The functions a model may call, with their argument counts. The compiler prints each
 * as a fixed JavaScript name (never the user's text); `if` is the conditional.
 */
export const FUNCTION_ARITY: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['exp', [1, 1]],
  ['log', [1, 1]],
  ['log10', [1, 1]],
  ['sqrt', [1, 1]],
  ['abs', [1, 1]],
  ['pow', [2, 2]],
  ['min', [1, 16]],
  ['max', [1, 16]],
  ['if', [3, 3]]
] as const);
