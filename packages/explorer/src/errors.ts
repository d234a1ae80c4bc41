export type ExplorerErrorCode = 'BAD_ORACLE' | 'NO_PROGRAM' | 'NOT_NODE' | 'COMMAND_NOT_FOUND' | 'CANNOT_REPLAY' | 'BAD_ARGUMENT';

/** A mistake the user can fix: what failed, and a hint. */
export class ExplorerError extends Error {
  override name = 'ExplorerError';
  constructor(readonly code: ExplorerErrorCode, message: string, readonly hint?: string) {
    super(message);
  }
}
