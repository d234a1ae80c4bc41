import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPLAY_ENTRY, type ReplayOptions, type ReplayResult } from '@looptape/replayer';
import { ExplorerError } from './errors.js';
import type { Target } from './target.js';

export interface RunOptions extends Target {
  /** The recording. */
  file: string;
  env: NodeJS.ProcessEnv;
  /** How to replay: schedule, choices, faults, saving (see ReplayOptions). */
  replay?: Omit<ReplayOptions, 'file' | 'resultFile'>;
  /** The program's own output: shown (replay), or dropped (it is in the result anyway). */
  output?: 'inherit' | 'stderr' | 'ignore';
}

/** Replays a recording once, in a child process under the replay preload, and resolves the run object. */
export async function runReplay(options: RunOptions): Promise<ReplayResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-run-'));
  const resultFile = path.join(dir, 'result.json');
  const optionsFile = path.join(dir, 'options.json');
  fs.writeFileSync(optionsFile, JSON.stringify({ ...options.replay, file: options.file, resultFile } satisfies ReplayOptions));
  const { argv, cwd, env, output = 'ignore' } = options;
  try {
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      stdio: ['ignore', output === 'inherit' ? 'inherit' : 'ignore', output === 'ignore' ? 'ignore' : 'inherit'],
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${REPLAY_ENTRY}`.trim(), LOOPTAPE_REPLAY: `@${optionsFile}` },
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new ExplorerError('COMMAND_NOT_FOUND', `${argv[0]}: command not found`) : error));
      child.once('exit', (c) => resolve(c));
    });
    return readResult(resultFile, argv, code);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The run object a replay wrote, or the reason it could not run, in one line. */
export function readResult(resultFile: string, argv: readonly string[], code: number | null): ReplayResult {
  if (!fs.existsSync(resultFile)) {
    throw new ExplorerError('NOT_NODE', `the replayed program ended (exit ${code}) without a replay result: '${argv.join(' ')}' did not run under the replayer`, 'is the command a Node.js program (node app.js)?');
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ReplayResult;
  if (result.refused) throw new ExplorerError('CANNOT_REPLAY', `cannot replay: ${result.refused}`);
  return result;
}
