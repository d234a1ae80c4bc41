import { LooptapeError } from '@looptape/recording';

export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;

/** A mistake the user can fix (bad flag, bad file): one line, a hint, exit 2. Anything else is a bug (exit 70). */
export class UserError extends LooptapeError<'USAGE'> {
  override name = 'UserError';
  constructor(message: string, hint?: string, readonly exitCode: number = EXIT.usage) {
    super('USAGE', message, hint);
  }
}

/** Where exit 70 sends a user. */
export const BUG_REPORT = "please report it in looptape's issue tracker with the command you ran, `looptape --version`, and what LOOPTAPE_DEBUG=1 prints";
