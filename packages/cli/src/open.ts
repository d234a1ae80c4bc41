import path from 'node:path';
import { openWithTree } from '@looptape/explorer';
import { RecordingReader } from '@looptape/recording';
import { println } from './command.js';
import { UserError } from './errors.js';
import { printNotes } from './notes.js';

/** The path of the recording named on the command line (relative to `cwd`), or one line saying it is missing. */
export function recordingPath(file: string | undefined, usage: string, cwd: string): string {
  if (!file) throw new UserError('missing FILE', `usage: ${usage.split('\n')[0]}`);
  return path.isAbsolute(file) ? file : path.relative(process.cwd(), path.resolve(cwd, file)) || '.';
}

/**
 * Opens the recording named on the command line (relative to `cwd`), or says in one line what is
 * wrong; with `notes`, says there what a reader should know first (no checksums, cut short).
 */
export function openRecording(file: string | undefined, usage: string, cwd: string, notes?: NodeJS.WritableStream): RecordingReader {
  const reader = RecordingReader.open(recordingPath(file, usage, cwd));
  if (notes) printNotes(reader, file!, notes);
  return reader;
}

/**
 * Opens the recording named on the command line with its task tree: a lean recording's tree is
 * derived by replaying it once, the first time a command needs it (explorer/derive.ts), and kept.
 */
export async function openRecordingWithTree(file: string | undefined, usage: string, context: { cwd: string; env: NodeJS.ProcessEnv; stderr: NodeJS.WritableStream }, notes = true): Promise<RecordingReader> {
  // The notes speak of the file as recorded (its format, whether it was cut short), not of a derived tree.
  const recorded = openRecording(file, usage, context.cwd, notes ? context.stderr : undefined);
  if (!recorded.isLean) return recorded;
  recorded.close();
  const { reader } = await openWithTree(recordingPath(file, usage, context.cwd), { env: context.env, say: (line) => println(context.stderr, line) });
  return reader;
}
