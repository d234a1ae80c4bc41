import type { RecordingReader } from '@looptape/recording';
import { println } from './command.js';

/**
 * What a reader of a recording should know before trusting what follows, said once on stderr
 * (stdout stays the command's own output): a format-1 file has no checksums, and a recording
 * whose program was killed holds only what was written before.
 */
export function printNotes(reader: RecordingReader, file: string, stderr: NodeJS.WritableStream): void {
  if (reader.unchecked) println(stderr, `looptape: note: ${file} is recording format ${reader.meta.formatVersion}, written before checksums: damage to it cannot be detected`);
  if (!reader.meta.complete) println(stderr, `looptape: note: ${file} was cut short (the program was killed, or the recorder stopped, before the recording closed): it holds what was written until then`);
}
