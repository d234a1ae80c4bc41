import { verifyRecording } from '@looptape/recording';
import { parse, println, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { recordingPath } from '../open.js';

const usage = `looptape verify FILE

Checks a whole recording: SQLite's own integrity_check (every page and index), the checksum
of every write group of events, hook chunk, meta row and summary table, and that every write
the recorder made is there in full. Prints one line: what was checked, or the first damaged
part (its table, chunk or seq range). A recording cut short (the program was killed, or the
disk filled up) is intact up to its last write: verify says so.

Exit codes: 0 intact; 2 damaged, not a recording, or bad arguments; 70 a bug in looptape.

Example:
  looptape verify recordings/api.tape`;

export const verify: Command = {
  name: 'verify',
  summary: 'check a recording for damage (checksums and SQLite integrity_check)',
  usage,
  async run(args, { stdout, cwd }) {
    const { positionals } = parse(args, {}, usage);
    if (positionals.length > 1) throw new UserError(`one FILE at a time, got ${positionals.length}`, `usage: ${usage.split('\n')[0]}`);
    const r = verifyRecording(recordingPath(positionals[0], usage, cwd));
    const what = r.checksums
      ? `all ${r.events} events (${r.hookChunks} hook chunks) match their checksums, and SQLite's integrity_check passed`
      : `SQLite's integrity_check passed; format ${r.formatVersion} has no checksums, so changed values cannot be detected (re-record to get them)`;
    const cut = r.complete ? '' : `; the recording was cut short (the program was killed, or the recorder stopped): it holds events up to seq ${r.lastSeq}`;
    println(stdout, `${positionals[0]}: intact: ${what}${cut}`);
    return EXIT.ok;
  },
};
