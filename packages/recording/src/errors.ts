/**
 * The one shape of a looptape error: a stable `code`, a message that says what failed, and a
 * hint that says what to try. The packages' own errors (RecordingError, ReplayError,
 * ExplorerError, ConfigError, the CLI's UserError…) are this with their own codes; the CLI
 * prints any of them as one line (formatError) and exits 2, and anything else is a bug.
 */
export class LooptapeError<C extends string = string> extends Error {
  override name = 'LooptapeError';
  constructor(readonly code: C, message: string, readonly hint?: string) {
    super(message);
  }
}

/** `message (hint)`: how every looptape error is shown, on the command line or in a result file. */
export function formatError(error: Pick<LooptapeError, 'message' | 'hint'>): string {
  return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
}

/**
 * Errors a user can fix (a wrong path, a foreign file) or must know of (a damaged file): the CLI
 * prints one line and exits 2. DAMAGED names the damaged part (table, chunk, seq range).
 */
export class RecordingError extends LooptapeError<'NOT_FOUND' | 'NOT_A_FILE' | 'NOT_SQLITE' | 'FOREIGN_FILE' | 'TOO_NEW' | 'EXISTS' | 'BAD_RECORDING' | 'DAMAGED'> {
  override name = 'RecordingError';
}
