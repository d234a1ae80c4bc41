/** Errors a user can fix (a wrong path, a foreign file): the CLI prints one line and exits 2. */
export class RecordingError extends Error {
  override name = 'RecordingError';
  constructor(
    readonly code: 'NOT_FOUND' | 'NOT_SQLITE' | 'FOREIGN_FILE' | 'TOO_NEW' | 'EXISTS' | 'BAD_RECORDING',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
