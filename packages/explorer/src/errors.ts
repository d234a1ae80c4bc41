import { LooptapeError } from '@looptape/recording';

export type ExplorerErrorCode = 'BAD_ORACLE' | 'NO_PROGRAM' | 'NOT_NODE' | 'COMMAND_NOT_FOUND' | 'CANNOT_REPLAY';

/** A mistake the user can fix: what failed, and a hint. */
export class ExplorerError extends LooptapeError<ExplorerErrorCode> {
  override name = 'ExplorerError';
}
