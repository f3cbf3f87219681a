/**
 * A twin that cannot be simulated (the solver stops, or its model gives a value that is
 * not finite): bad input, named by the twin. Recognised by name across worker threads.
 */
export class TwinSimulationError extends Error {
  constructor(
    message: string,
    readonly twinId: number
  ) {
    super(message);
    this.name = 'TwinSimulationError';
  }
}
