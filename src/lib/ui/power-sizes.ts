/**
 * The Power form's sample sizes checked: whole numbers, at least 2 twins per arm, and
 * multiples of the allocation ratio's sum (a 2:1 allocation fills whole blocks of 3), so
 * every arm gets its share exactly. Each problem names the size and, for a size off the
 * ratio, the nearest sizes that fit.
 */
export interface PowerSizesCheck {
  sizes: number[];
  problems: string[];
  /** the sizes' step: the ratio's sum reduced by its greatest common divisor */
  multiple: number;
  /** the ratio as a user reads it, e.g. "2:1" */
  ratio: string;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function checkPowerSizes(text: string, arms: number, ratio?: readonly number[]): PowerSizesCheck {
  const weights = ratio && ratio.length === arms ? ratio : Array.from({ length: arms }, () => 1);
  const common = weights.reduce(gcd, 0) || 1;
  const multiple = weights.reduce((s, w) => s + w, 0) / common || 1;
  const minN = 2 * arms;
  // the smallest multiple with at least 2 twins per arm
  const smallest = Math.ceil(minN / multiple) * multiple;
  const fields = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const problems: string[] = [];
  if (!fields.length)
    problems.push(
      'give at least one sample size, e.g. ' + [1, 2, 4].map((k) => k * 10 * multiple).join(', ')
    );
  const sizes = fields.map(Number);
  fields.forEach((field, i) => {
    const n = sizes[i];
    if (!Number.isSafeInteger(n)) problems.push(`'${field}' is not a whole number`);
    else if (n < minN)
      problems.push(`${n} is below ${minN} (2 twins per arm); the smallest size is ${smallest}`);
    else if (n % multiple !== 0) {
      const below = Math.floor(n / multiple) * multiple;
      const nearest = [below, below + multiple].filter((m) => m >= smallest);
      problems.push(
        `${n} is not a multiple of ${multiple} (the ${weights.map((w) => w / common).join(':')} allocation); nearest: ${nearest.join(' or ')}`
      );
    }
  });
  return { sizes, problems, multiple, ratio: weights.map((w) => w / common).join(':') };
}
