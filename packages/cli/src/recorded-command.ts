import path from 'node:path';
import { UserError } from './errors.js';

/** Node flags whose value is the next argument. */
const WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--input-type', '--conditions', '-C']);

/**
 * Refuses, in one line, a recorded command line replay could not run again: a `node` whose
 * program came from stdin (`node -`, or a bare `node`, which is also what recordings made by
 * hand with `-e` before the code was kept say). Run as is, it would wait for a program on stdin.
 */
export function checkRecordedCommand(argv: readonly string[]): void {
  if (!/^node(\.exe)?$/.test(path.basename(argv[0] ?? ''))) return;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (['-e', '--eval', '-p', '--print'].includes(a) || /^--(eval|print)=/.test(a)) return;
    if (WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a === '-') break;
    if (!a.startsWith('-')) return;
  }
  throw new UserError(
    `cannot replay: the recording has no program to run ('${argv.join(' ')}' read it from stdin, which is not recorded)`,
    'give the command after --, e.g. looptape replay FILE -- node app.js',
  );
}
