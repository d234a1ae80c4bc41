import fs from 'node:fs';
import path from 'node:path';
import type { Sink } from '@looptape/export';
import type { RecordingReader } from '@looptape/recording';
import { UserError } from './errors.js';

/**
 * The file a command writes (`--out`), resolved against `cwd`: never an existing file unless
 * `force`, never a folder, and its folder must exist. `shown` is how to name it to the user.
 */
export function outputFile(out: string, force: boolean, cwd: string): { file: string; shown: string } {
  const file = path.resolve(cwd, out);
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') ? relative : file;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UserError(`--out ${shown} is a folder, not a file name`, `to write into it: --out ${path.join(shown, path.basename(file) + '.out')}`);
  if (stat && !force) throw new UserError(`${shown} already exists`, 'pass --force to replace it, or --out to choose another file');
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`the folder of ${shown} does not exist`);
  return { file, shown };
}

/**
 * Runs `write` into `sink` and puts the result in place; on failure removes what was written.
 * Closes the reader either way. A file that cannot be written (`shown`: the --out it came from)
 * is the user's to fix, not a bug.
 */
export async function writeThrough(reader: RecordingReader, sink: Sink, write: (sink: Sink) => Promise<void>, shown = 'the output'): Promise<void> {
  try {
    await write(sink);
    await sink.close();
  } catch (error) {
    await sink.abandon();
    const e = error as NodeJS.ErrnoException;
    if (e.syscall && e.code) throw new UserError(`cannot write ${shown}: ${e.code} (${e.syscall})`, 'choose another --out');
    throw error;
  } finally {
    reader.close();
  }
}
