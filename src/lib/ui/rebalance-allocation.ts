/** The allocation fields that removing an arm changes (protocol-schema's `allocation`). */
export interface AllocationFields {
  ratio?: readonly number[];
  method?: string;
  blockSize?: number;
}

export interface Rebalanced {
  /** The new ratio (absent when the protocol gives none: 1:1:… follows the arms). */
  ratio?: number[];
  /** The new block size (absent when the protocol gives none: twice the ratio's sum). */
  blockSize?: number;
  /** What was changed, in words, to show beside the form. */
  changes: string[];
  /** What the user must change, when no block size follows from the old one. */
  problem?: string;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** "2, 4 or 6": the choices listed in a message. */
function orList(xs: number[]): string {
  return xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

/**
 * The allocation after arm `removed` (0-based) is taken out of a protocol with `arms`
 * arms. The ratio loses that arm's entry and is reduced by its greatest common divisor
 * (2:2 allocates as 1:1). Permuted blocks need a block size that is a multiple of the
 * ratio's sum (compile-allocation.ts): a block size that still is one is kept; one that
 * held k whole repeats of the old ratio becomes k repeats of the new one; otherwise
 * the multiples of the new sum up to the old size are named for the user to choose.
 */
export function rebalanceAllocation(allocation: AllocationFields, arms: number, removed: number): Rebalanced {
  if (!Number.isInteger(removed) || removed < 0 || removed >= arms)
    throw new Error(`arm ${removed + 1} does not exist: the protocol has ${arms} arms`);
  const changes: string[] = [];
  const oldRatio = allocation.ratio ?? Array.from({ length: arms }, () => 1);
  let ratio: number[] | undefined;
  if (allocation.ratio) {
    ratio = allocation.ratio.filter((_, i) => i !== removed);
    const divisor = ratio.reduce(gcd, 0);
    if (divisor > 1) ratio = ratio.map((r) => r / divisor);
    changes.push(`ratio ${allocation.ratio.join(':')} → ${ratio.join(':')}`);
  }
  const oldSum = sum(oldRatio);
  const newSum = ratio ? sum(ratio) : arms - 1;
  const blocked =
    allocation.method === undefined || allocation.method === 'block' || allocation.method === 'stratified';
  const size = allocation.blockSize;
  if (size === undefined || !blocked || newSum === 0 || size % newSum === 0)
    return { ratio, blockSize: size, changes };
  if (size % oldSum === 0) {
    const blockSize = (size / oldSum) * newSum;
    changes.push(`block size ${size} → ${blockSize} (a multiple of the new ratio's sum ${newSum})`);
    return { ratio, blockSize, changes };
  }
  const choices = Array.from({ length: Math.max(1, Math.floor(size / newSum)) }, (_, k) => (k + 1) * newSum);
  return {
    ratio,
    blockSize: size,
    changes,
    problem: `block size ${size} is not a multiple of the new ratio's sum ${newSum}: set it to ${orList(choices)}`
  };
}
