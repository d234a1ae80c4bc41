import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatError, RecordingReader, storeDerivedTree, type LooptapeError } from '@looptape/recording';
import { formatDivergence } from '@looptape/replayer';
import { runReplay } from './run.js';
import { replayTarget } from './target.js';

/** A recording opened with its task tree, and the file to open again for it (a worker thread does). */
export interface WithTree {
  reader: RecordingReader;
  /** The file to open with `{ tree: true }`: the recording, or a derived copy that could not be kept in it. */
  path: string;
}

/**
 * Opens a recording with its task tree. A `--tree` recording has its own; a lean one (the
 * default) is replayed once, offline and strictly, with full hooks, and that replay's recording
 * is kept inside the file as its derived tree (recording/derived.ts), so later reads are instant.
 * Says what it did in one line. A lean recording that cannot be replayed, or whose replay does
 * not match it, opens as it is: without a tree, never with an invented one.
 */
export async function openWithTree(file: string, { env, say }: { env: NodeJS.ProcessEnv; say: (line: string) => void }): Promise<WithTree> {
  const reader = RecordingReader.open(file, { tree: true });
  if (!reader.isLean) return { reader, path: file };
  const without = (why: string): WithTree => {
    say(`looptape: ${file} was recorded lean and its task tree could not be derived: ${why}; showing the recording without it`);
    return { reader, path: file };
  };
  const { meta } = reader;
  const unsupported = [...reader.events({ kinds: ['unsupported'] })][0];
  if (unsupported?.kind === 'unsupported') return without(`replay cannot run it (the program used ${unsupported.what})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-derive-'));
  const out = path.join(dir, 'derived.tape');
  const started = performance.now();
  // The folder goes on every way out but one: a tree that could not be kept is read from it until exit.
  let readFromDir = false;
  try {
    try {
      const target = replayTarget(meta.argv, meta.cwd, [], process.cwd());
      const result = await runReplay({ ...target, file: path.resolve(file), env, replay: { save: { out, meta: { tree: 'derived', stacks: meta.stacks } } }, output: 'ignore' });
      if (!result.ok) return without(`its replay does not match it (${formatDivergence(result.divergence!).split('\n')[0]})`);
    } catch (error) {
      if ((error as LooptapeError).code === undefined) throw error;
      return without(formatError(error as LooptapeError));
    }
    const ms = Math.round(performance.now() - started);
    reader.close();
    try {
      storeDerivedTree(file, out);
    } catch (error) {
      say(`looptape: derived the task tree of ${file} by replaying it (${ms} ms), but could not keep it in the file (${(error as Error).message}): it will be derived again next time`);
      readFromDir = true;
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      return { reader: RecordingReader.open(out), path: out };
    }
    say(`looptape: ${file} was recorded lean: derived its task tree by replaying it (${ms} ms), kept in the file as derived data`);
    return { reader: RecordingReader.open(file, { tree: true }), path: file };
  } finally {
    if (!readFromDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
