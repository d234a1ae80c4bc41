import { LooptapeError } from '@looptape/recording';

/** Why a replay could not go on. The CLI prints these as one line plus a hint (exit 2). */
export class ReplayError extends LooptapeError<'BAD_SCHEDULE'> {
  override name = 'ReplayError';
}
