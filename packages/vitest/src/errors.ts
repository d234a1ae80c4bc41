export type VitestHelperErrorCode = 'CANNOT_TEST' | 'NOT_A_RUN';

/** A recording that cannot be tested, or a matcher given something other than a replayed run. */
export class VitestHelperError extends Error {
  override name = 'VitestHelperError';
  constructor(readonly code: VitestHelperErrorCode, message: string, readonly hint?: string) {
    super(hint ? `${message} (${hint})` : message);
  }
}
