/** A twin that cannot be generated as the spec asks (no candidate met the criteria, a value that is not finite). */
export class CohortGenerationError extends Error {
  constructor(
    message: string,
    readonly twinId: number
  ) {
    super(message);
    this.name = 'CohortGenerationError';
  }
}
