import path from 'node:path';
import { RecordingReader } from '@looptape/recording';
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
