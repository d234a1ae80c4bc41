/** Why a replay could not go on. The CLI prints these as one line plus a hint (exit 2). */
export class ReplayError extends Error {
  override name = 'ReplayError';
  constructor(
    readonly code: 'BAD_SCHEDULE' | 'UNSUPPORTED' | 'BAD_RECORDING',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
