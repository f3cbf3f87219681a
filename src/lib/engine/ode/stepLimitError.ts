/**
 * Raised when a solver cannot advance: too many steps, a step size that underflows, or a
 * state that is no longer finite. The message names the twin (solver context), the time
 * reached and the state there, so a bad parameter set can be found and reproduced.
 */
export class StepLimitError extends Error {
  constructor(
    readonly context: string,
    readonly time: number,
    readonly state: readonly number[],
    reason: string
  ) {
    super(
      `ODE solver stopped for ${context || 'unnamed system'} at t=${time}: ${reason}; ` +
        `state=[${state.map((v) => v.toPrecision(6)).join(', ')}]`
    );
    this.name = 'StepLimitError';
  }
}
