import type { ReplayResult, RunResponse } from '@looptape/replayer';
import { VitestHelperError } from './errors.js';

/** Where a replayed run keeps what the matchers need, out of the way of toEqual and JSON.stringify. */
export const VERDICT = Symbol.for('looptape.vitest.verdict');

/** What the matchers judge a run by, besides the run object itself. */
export interface Verdict {
  /** The recording, absolute. */
  file: string;
  /** The folder oracles given to a matcher resolve against (js:FILE). */
  cwd: string;
  /** The oracles checked by the replay, as the user writes them. */
  oracles: string[];
  /** The first of them that tripped, with its reason; undefined when none did. */
  trip?: { oracle: string; reason: string };
  /** The answers the recording expects (a found recording's, else the recorded ones). */
  expected: RunResponse[];
  /** The report findings of the replayed run. */
  findings: Array<{ kind: string; message: string }>;
}

/** A run object as replayRecording resolves it. */
export type ReplayedRun = ReplayResult & { readonly [VERDICT]: Verdict };

export function withVerdict(run: ReplayResult, verdict: Verdict): ReplayedRun {
  Object.defineProperty(run, VERDICT, { value: verdict, enumerable: false });
  return run as ReplayedRun;
}

/** The verdict of a run from replayRecording, or a clear error for anything else. */
export function verdictOf(received: unknown, matcher: string): Verdict {
  const verdict = (received as { [VERDICT]?: Verdict } | null)?.[VERDICT];
  if (!verdict) throw new VitestHelperError('NOT_A_RUN', `${matcher}: expected the run object of replayRecording(), got ${describe(received)}`, 'await replayRecording(file) and pass what it resolves');
  return verdict;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (typeof (value as { then?: unknown }).then === 'function') return 'a promise (missing await?)';
  return 'an object without a replay verdict';
}
