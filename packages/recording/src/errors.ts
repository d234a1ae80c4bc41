/**
 * Errors a user can fix (a wrong path, a foreign file) or must know of (a damaged file): the CLI
 * prints one line and exits 2. DAMAGED names the damaged part (table, chunk, seq range).
 */
export class RecordingError extends Error {
  override name = 'RecordingError';
  constructor(
    readonly code: 'NOT_FOUND' | 'NOT_A_FILE' | 'NOT_SQLITE' | 'FOREIGN_FILE' | 'TOO_NEW' | 'EXISTS' | 'BAD_RECORDING' | 'DAMAGED',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
