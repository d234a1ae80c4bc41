import path from 'node:path';
import { RecordingReader } from '@looptape/recording';
import { UserError } from './errors.js';

/** Opens the recording named on the command line (relative to `cwd`), or says in one line what is wrong. */
export function openRecording(file: string | undefined, usage: string, cwd: string): RecordingReader {
  if (!file) throw new UserError('missing FILE', `usage: ${usage.split('\n')[0]}`);
  return RecordingReader.open(path.isAbsolute(file) ? file : path.relative(process.cwd(), path.resolve(cwd, file)) || '.');
}
