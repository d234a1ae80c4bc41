import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordingMeta, RecordingReader } from '@looptape/recording';
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

/** One line per file of the program's code that changed since it was recorded (replay runs the code as it is now). */
export function printCodeChanges(meta: RecordingMeta, cwd: string, stderr: NodeJS.WritableStream): void {
  for (const [file, hash] of Object.entries(meta.code ?? {})) {
    const now = path.resolve(cwd, file);
    if (!fs.existsSync(now)) continue;
    if (createHash('sha256').update(fs.readFileSync(now)).digest('hex') !== hash) println(stderr, `looptape: note: ${file} changed since it was recorded: replaying the code as it is now`);
  }
}
