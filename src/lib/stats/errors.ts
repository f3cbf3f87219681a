// Error thrown for input a statistic cannot be computed from (too few observations, zero variance, …).

/** Bad input to a statistics function; the message names the argument and the problem. */
export class StatsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsInputError';
  }
}
