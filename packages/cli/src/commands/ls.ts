import fs from 'node:fs';
import path from 'node:path';
import { RecordingError, RecordingReader } from '@looptape/recording';
import { parse, println, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';

const usage = `looptape ls [DIR|FILE] [--json]

Lists the recordings in DIR (default: recordings/), or the one recording FILE. Columns:
  NAME        the file
  COMMAND     the recorded command line (its end, when long)
  DURATION    how long the program ran, in seconds
  EVENTS      events recorded (task hooks included)
  REQ IN/OUT  requests the program served / made
  SIZE        the file's size
  EXIT        the program's exit code; the signal that ended it (SIGTERM…); or killed:
              the program was killed, or the recorder stopped (a full disk), before the
              recording closed (it holds what was written)
Files in DIR that are not readable recordings are named on stderr, each with the reason.
  --json      one JSON object per recording and line (the columns, plus complete and signal)

Exit codes: 0 listed (even when some files were not recordings); 2 no such DIR or FILE, FILE
is not a readable recording, or a bad flag; 70 a bug in looptape.

Examples:
  looptape ls
  looptape ls recordings/examples --json | jq .name`;

export interface RecordingListing {
  name: string;
  command: string;
  durationMs: number | null;
  events: number;
  requests: { in: number; out: number };
  size: number;
  complete: boolean;
  exitCode: number | null;
  /** The signal that ended the program (SIGTERM…), or null. */
  signal: string | null;
}

export const ls: Command = {
  name: 'ls',
  summary: 'list the recordings in a folder',
  usage,
  async run(args, { stdout, stderr, cwd }) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, usage);
    if (positionals.length > 1) throw new UserError(`one DIR or FILE at a time, got ${positionals.length}`, `usage: ${usage.split('\n')[0]}`);
    const dir = path.resolve(cwd, positionals[0] ?? 'recordings');
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (!stat) throw new UserError(`${dir}: no such folder or file`);
    // One recording named on the command line: list it, or say in one line why it is not one.
    if (!stat.isDirectory()) return print([describe(dir, path.basename(dir))], Boolean(values.json), dir, stdout);
    const listings: RecordingListing[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      // A dangling link or a file removed meanwhile is not a recording either.
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile() || /-(wal|shm|journal)$/.test(name)) continue;
      try {
        listings.push(describe(file, name));
      } catch (error) {
        if (!(error instanceof RecordingError)) throw error;
        // Named, not skipped in silence: a recording that no longer reads must not just vanish.
        println(stderr, `looptape: not listed: ${name}: ${error.message.replace(`${file} `, '').replace(`${file}: `, '')}`);
      }
    }
    return print(listings, Boolean(values.json), dir, stdout);
  },
};

function print(listings: RecordingListing[], json: boolean, dir: string, stdout: NodeJS.WritableStream): number {
  if (json) for (const l of listings) println(stdout, JSON.stringify(l));
  else println(stdout, listings.length === 0 ? `no recordings in ${dir}` : table(listings));
  return EXIT.ok;
}

function describe(file: string, name: string): RecordingListing {
  const reader = RecordingReader.open(file);
  try {
    const counts = reader.counts();
    const events = Object.values(counts).reduce((a, b) => a + b, 0);
    const requests = { in: reader.scopes().length, out: 0 };
    for (const e of reader.events({ kinds: ['http.request'] })) if (e.kind === 'http.request' && e.direction === 'out') requests.out++;
    return {
      name, command: reader.meta.argv?.join(' ') ?? '', durationMs: reader.meta.durationMs ?? null, events, requests,
      size: fs.statSync(file).size, complete: reader.meta.complete, exitCode: reader.meta.exitCode ?? null, signal: reader.meta.signal ?? null,
    };
  } finally {
    reader.close();
  }
}

function table(rows: RecordingListing[]): string {
  const lines = [['NAME', 'COMMAND', 'DURATION', 'EVENTS', 'REQ IN/OUT', 'SIZE', 'EXIT']];
  for (const r of rows) {
    lines.push([
      r.name, r.command.length > 40 ? `…${r.command.slice(-39)}` : r.command,
      r.durationMs === null ? '?' : `${(r.durationMs / 1000).toFixed(2)}s`, String(r.events),
      `${r.requests.in}/${r.requests.out}`, `${(r.size / 1024).toFixed(0)} KiB`, r.complete ? (r.exitCode === null ? r.signal ?? 'signal' : String(r.exitCode)) : 'killed',
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
