import { LooptapeError, formatError } from '@looptape/recording';

export type VitestHelperErrorCode = 'CANNOT_TEST' | 'NOT_A_RUN';

/** A recording that cannot be tested, or a matcher given something other than a replayed run. */
export class VitestHelperError extends LooptapeError<VitestHelperErrorCode> {
  override name = 'VitestHelperError';
  constructor(code: VitestHelperErrorCode, message: string, hint?: string) {
    // vitest shows an error's message alone: the hint goes into it.
    super(code, formatError({ message, hint }));
  }
}
