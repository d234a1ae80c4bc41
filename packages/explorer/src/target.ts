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
  return { argv, cwd: runFolder(argv, recordedCwd, cwd, given.length > 0) };
}

function runFolder(argv: string[], recordedCwd: string, cwd: string, given: boolean): string {
  const script = nodeScript(argv);
  const recorded = recordedCwd && fs.existsSync(recordedCwd) ? recordedCwd : undefined;
  if (!script) return given ? cwd : recorded ?? cwd;
  if (fs.existsSync(path.resolve(cwd, script))) return cwd;
  if (recorded && fs.existsSync(path.resolve(recorded, script))) return recorded;
  throw new ExplorerError('NO_PROGRAM', `cannot replay: the program ${script} is not in ${cwd}${recordedCwd && recordedCwd !== cwd ? ` (it was recorded in ${recordedCwd})` : ''}`, 'run from the folder it was recorded in, or give the command after --');
}

/** The script of `node [flags] script …`, or undefined (`node -e`, or not node). */
function nodeScript(argv: string[]): string | undefined {
  if (!/^node(\.exe)?$/.test(path.basename(argv[0]))) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (['-e', '--eval', '-p', '--print'].includes(a)) return undefined;
    if (['-r', '--require', '--import', '--loader', '--experimental-loader'].includes(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}
