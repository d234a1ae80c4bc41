import path from 'node:path';
import { replayTarget, runReplay } from '@looptape/explorer';
import { clipText, RecordingReader } from '@looptape/recording';
import { checkScheduleAgainst, formatDivergence, loadSchedule, recordedSchedule, ReplayError, loadRecording, type ReplayResult } from '@looptape/replayer';
import { parse, println, type Command } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { printCodeChanges, printNotes } from '../notes.js';
import { splitCommand } from '../split-command.js';

const usage = `looptape replay FILE [--json] [--schedule FILE] [--print-schedule] [--real-fs] [-- CMD...]

Re-runs the recorded program offline with the recording as its whole outside world:
recorded answers to its requests, recorded inbound requests, recorded time and randomness,
on a virtual clock. Exits 0 when the replay matched the recording, 1 with a divergence report.
  --json             print one JSON object: ok, divergence, responses, stdout, exitCode, errors, virtualMs, wallMs
  --print-schedule   print the recorded schedule (deliveries, latencies, arrivals, same-instant order) and exit
  --schedule FILE    follow another schedule (edit what --print-schedule prints): deliveries in another order
  --real-fs          let the program read and write your real files (by default reads come from the
                     recording and writes go to memory: a replay never changes your files)
  -- CMD...          the command to run (default: the recorded command line)
--schedule and --print-schedule do not go together: print a schedule, edit it, then follow it.

Exit codes: 0 the replay matched the recording (or ran the given schedule); 1 a divergence,
reported; 2 a mistake in what was asked (bad flag, missing or damaged recording, bad schedule);
70 a bug in looptape.

Examples:
  looptape replay recordings/api.tape
  looptape replay recordings/api.tape --print-schedule > s.json && looptape replay recordings/api.tape --schedule s.json`;

export const replay: Command = {
  name: 'replay',
  summary: 'replay a recording offline, deterministically, and report any divergence',
  usage,
  async run(args, context) {
    const { options, command } = splitCommand(args);
    const { values, positionals } = parse(options, { json: { type: 'boolean' }, schedule: { type: 'string' }, 'print-schedule': { type: 'boolean' }, 'real-fs': { type: 'boolean' } }, usage);
    if (positionals.length !== 1) throw new UserError(positionals.length ? `one FILE at a time, got ${positionals.length}` : 'missing FILE', `usage: ${usage.split('\n')[0]}`);
    if (values.schedule && values['print-schedule']) throw new UserError('--schedule and --print-schedule do not go together', 'print the recorded schedule first, edit it, then replay with --schedule');
    const file = path.resolve(context.cwd, positionals[0]);
    const reader = RecordingReader.open(file);
    printNotes(reader, positionals[0], context.stderr);
    const meta = reader.meta;
    const unsupported = [...reader.events({ kinds: ['unsupported'] })][0];
    reader.close();
    if (values['print-schedule']) {
      println(context.stdout, JSON.stringify(recordedSchedule(loadRecording(file).events), null, 2));
      return EXIT.ok;
    }
    if (unsupported?.kind === 'unsupported') {
      throw new UserError(`cannot replay: the program used ${unsupported.what} (${unsupported.detail}${unsupported.site ? ` at ${unsupported.site}` : ''}), which recordings do not capture`, undefined, 2);
    }
    const schedule = values.schedule ? path.resolve(context.cwd, values.schedule as string) : undefined;
    const left = schedule ? wrap(() => checkScheduleAgainst(loadSchedule(schedule), recordedSchedule(loadRecording(file).events), values.schedule as string)) : [];
    const target = replayTarget(meta.argv, meta.cwd, command, context.cwd);
    if (command.length === 0) printCodeChanges(meta, target.cwd, context.stderr);
    const realFs = Boolean(values['real-fs']);
    if (realFs) println(context.stderr, 'looptape: warning: --real-fs: the program reads and writes your real files; this replay may change them, and differ from the recording where they changed');
    const result = await runReplay({ ...target, file, env: context.env, replay: { schedule, realFs }, output: values.json ? 'stderr' : 'inherit' });
    if (values.json) println(context.stdout, JSON.stringify(result));
    else println(context.stdout, summary(result));
    if (left.length) println(context.stderr, `looptape: note: the schedule left ${left.length} recorded deliver${left.length === 1 ? 'y' : 'ies'} undelivered (the program may still have waited for them): ${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ReplayError) throw new UserError(error.message, error.hint);
    throw error;
  }
}
/** What a person reads after a replay. */
export function summary(r: ReplayResult): string {
  const lines: string[] = [];
  for (const res of r.responses) lines.push(`  ${res.method} ${res.url} -> ${res.status} ${clipText(res.body, 100)}`);
  for (const e of r.errors) lines.push(`  ${e.kind === 'error.uncaught' ? 'uncaught' : 'unhandled rejection'}: ${e.name}: ${e.message}`);
  const speed = r.wallMs > 0 && r.virtualMs > 0 ? ` (${(r.virtualMs / r.wallMs).toFixed(1)}x real time)` : '';
  const timing = `${r.virtualMs.toFixed(0)} ms of program time in ${r.wallMs} ms${speed}`;
  const head = r.ok
    ? `replay ${r.strict ? 'matched the recording' : 'ran under the given schedule'}: ${r.delivered}/${r.scheduled} deliveries, ${plural(r.responses.length, 'response')}, ${r.exitCode === null ? 'ended by a signal' : `exit code ${r.exitCode}`}; ${timing}`
    : formatDivergence(r.divergence!);
  return [head, ...(lines.length ? ['responses and errors of the replayed program:', ...lines] : [])].join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
