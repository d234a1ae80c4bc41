import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clipText, RecordingReader } from '@looptape/recording';
import { checkScheduleAgainst, formatDivergence, loadSchedule, recordedSchedule, REPLAY_ENTRY, ReplayError, loadRecording, type ReplayResult } from '@looptape/replayer';
import { parse, println, type Command, type CommandContext } from '../command.js';
import { UserError } from '../errors.js';
import { nodeScript } from '../node-script.js';
import { printNotes } from '../notes.js';
import { splitCommand } from '../split-command.js';

const usage = `looptape replay FILE [--json] [--schedule FILE] [--print-schedule] [-- CMD...]

Re-runs the recorded program offline with the recording as its whole outside world:
recorded answers to its requests, recorded inbound requests, recorded time and randomness,
on a virtual clock. Exits 0 when the replay matched the recording, 1 with a divergence report.
  --json             print one JSON object: ok, divergence, responses, stdout, exitCode, errors, virtualMs, wallMs
  --print-schedule   print the recorded schedule (deliveries, latencies, arrivals, same-instant order) and exit
  --schedule FILE    follow another schedule (edit what --print-schedule prints): deliveries in another order
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
    const { values, positionals } = parse(options, { json: { type: 'boolean' }, schedule: { type: 'string' }, 'print-schedule': { type: 'boolean' } }, usage);
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
      return 0;
    }
    if (unsupported?.kind === 'unsupported') {
      throw new UserError(`cannot replay: the program used ${unsupported.what} (${unsupported.detail}${unsupported.site ? ` at ${unsupported.site}` : ''}), which recordings do not capture`, undefined, 2);
    }
    const schedule = values.schedule ? path.resolve(context.cwd, values.schedule as string) : undefined;
    const left = schedule ? wrap(() => checkScheduleAgainst(loadSchedule(schedule), recordedSchedule(loadRecording(file).events), values.schedule as string)) : [];
    const argv = command.length > 0 ? command : meta.argv;
    if (!argv?.length) throw new UserError('the recording has no command line; give one after --');
    const cwd = replayCwd(argv, meta.cwd, context.cwd, command.length > 0);
    const result = await runReplay(file, schedule, argv, cwd, Boolean(values.json), context);
    if (result.refused) throw new UserError(`cannot replay: ${result.refused}`);
    if (values.json) println(context.stdout, JSON.stringify(result));
    else println(context.stdout, summary(result));
    if (left.length) println(context.stderr, `looptape: note: the schedule left ${left.length} recorded deliver${left.length === 1 ? 'y' : 'ies'} undelivered (the program may still have waited for them): ${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}`);
    return result.ok ? 0 : 1;
  },
};

/**
 * Where to run the program: here when its script is here (a clone of the project elsewhere),
 * else the folder it was recorded in. A script found in neither is one line, not a crash.
 */
function replayCwd(argv: string[], recordedCwd: string, cwd: string, given: boolean): string {
  const script = nodeScript(argv);
  const recorded = recordedCwd && fs.existsSync(recordedCwd) ? recordedCwd : undefined;
  if (!script) return given ? cwd : recorded ?? cwd;
  if (fs.existsSync(path.resolve(cwd, script))) return cwd;
  if (recorded && fs.existsSync(path.resolve(recorded, script))) return recorded;
  throw new UserError(`cannot replay: the program ${script} is not in ${cwd}${recordedCwd && recordedCwd !== cwd ? ` (it was recorded in ${recordedCwd})` : ''}`, 'run replay from the folder it was recorded in, or give the command after --');
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ReplayError) throw new UserError(error.message, error.hint);
    throw error;
  }
}

async function runReplay(file: string, schedule: string | undefined, argv: string[], cwd: string, json: boolean, { env }: CommandContext): Promise<ReplayResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-replay-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      stdio: json ? ['ignore', 'pipe', 'inherit'] : ['ignore', 'inherit', 'inherit'],
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${REPLAY_ENTRY}`.trim(), LOOPTAPE_REPLAY: JSON.stringify({ file, schedule, resultFile }) },
    });
    child.stdout?.resume();
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new UserError(`${argv[0]}: command not found`) : error));
      child.once('exit', (c) => resolve(c));
    });
    if (!fs.existsSync(resultFile)) {
      throw new UserError(`the replayed program ended (exit ${code}) without a replay result: '${argv.join(' ')}' did not run under the replayer`, 'is the command a Node.js program (node app.js)?');
    }
    return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ReplayResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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
