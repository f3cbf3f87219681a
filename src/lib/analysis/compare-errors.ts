/**
 * Input an arm comparison cannot be computed from (unknown column or arm level, non-numeric or
 * out-of-range values, too few observations, a run that is not complete, …). The message names
 * the column, level, row or run and says what is allowed.
 */
export class CompareInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompareInputError';
  }
}
