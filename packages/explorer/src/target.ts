import fs from 'node:fs';
import path from 'node:path';
import { ExplorerError } from './errors.js';

/** The program a replay runs: its command line and the folder to run it in. */
export interface Target {
  argv: string[];
  cwd: string;
}

/**
 * The command to replay (the one given, else the recorded one) and where to run it: here when
 * its script is here (a clone of the project elsewhere), else the folder it was recorded in.
 */
export function replayTarget(recordedArgv: string[] | undefined, recordedCwd: string, given: string[], cwd: string): Target {
  const argv = given.length > 0 ? given : recordedArgv;
  if (!argv?.length) throw new ExplorerError('NO_PROGRAM', 'the recording has no command line', 'give one after --');
  if (given.length === 0) checkRecordedCommand(argv);
  return { argv, cwd: runFolder(argv, recordedCwd, cwd, given.length > 0) };
}

function runFolder(argv: readonly string[], recordedCwd: string, cwd: string, given: boolean): string {
  const script = nodeScript(argv);
  const recorded = recordedCwd && fs.existsSync(recordedCwd) ? recordedCwd : undefined;
  if (!script) return given ? cwd : recorded ?? cwd;
  if (fs.existsSync(path.resolve(cwd, script))) return cwd;
  if (recorded && fs.existsSync(path.resolve(recorded, script))) return recorded;
  throw new ExplorerError('NO_PROGRAM', `cannot replay: the program ${script} is not in ${cwd}${recordedCwd && recordedCwd !== cwd ? ` (it was recorded in ${recordedCwd})` : ''}`, 'run from the folder it was recorded in, or give the command after --');
}

/** Whether the command starts Node.js itself (`node`, `/usr/bin/node`, `node.exe`). */
export function isNode(argv: readonly string[]): boolean {
  return /^node(\.exe)?$/.test(path.basename(argv[0] ?? ''));
}

/** Node flags whose value is the next argument. */
const WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--input-type', '--conditions', '-C']);

/** The script of `node [flags] script …`, or undefined (`node -e`, `node -`, or not node). */
export function nodeScript(argv: readonly string[]): string | undefined {
  if (!isNode(argv)) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (['-e', '--eval', '-p', '--print', '-', '--test', '--run'].includes(a)) return undefined;
    if (WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * Refuses, in one line, a recorded command line replay could not run again: a `node` whose
 * program came from stdin (`node -`, or a bare `node`, which is also what recordings made by
 * hand with `-e` before the code was kept say). Run as is, it would wait for a program on stdin.
 */
function checkRecordedCommand(argv: readonly string[]): void {
  if (!isNode(argv)) return;
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
  throw new ExplorerError(
    'NO_PROGRAM',
    `cannot replay: the recording has no program to run ('${argv.join(' ')}' read it from stdin, which is not recorded)`,
    'give the command after --, e.g. looptape replay FILE -- node app.js',
  );
}
