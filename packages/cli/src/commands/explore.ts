import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ORACLES, explore as exploreOrders, parseOracle, readRecorded, replayTarget, type ExploreResult, type Progress } from '@looptape/explorer';
import type { Fault } from '@looptape/replayer';
import { parse, println, type Command, type CommandContext } from '../command.js';
import { EXIT, UserError } from '../errors.js';
import { openRecording } from '../open.js';
import { splitCommand } from '../split-command.js';

const usage = `looptape explore FILE [--until ORACLE]... [--runs N] [--seed S] [--strategy pct|random]
                      [--depth D] [--jobs N] [--shard I/N] [--faults none|aborts,errors,retries|all]
                      [--out FILE] [--json] [-- CMD...]

Replays the recording under other orders of its deliveries (answers, timers, inbound requests,
within causality) until one trips an oracle; shrinks the difference from the recorded order to
the moves the bug needs, explains it in one line, and saves that run as a recording whose strict
replay fails the same way every time.
  --until ORACLE   what counts as the bug (repeatable; any one trips): error, exit!=0,
                   status>=500, unanswered, differs, stdout~REGEX, stderr~REGEX, finding:KIND,
                   js:FILE (default: error, exit!=0, status>=500, unanswered)
  --runs N         replays to try (default 200)
  --seed S         seed of the search (default 1): the same seed gives the same result
  --strategy S     pct (default: random priorities with D-1 change points) or random
  --depth D        pct's deepest depth; runs go through depths 1..D (default 3)
  --jobs N         replays at once (default 1); does not change the result
  --shard I/N      this machine's share of the runs (I from 1 to N)
  --faults F       also inject: aborts (a client goes away), errors (an outbound call is reset),
                   retries (a client sends a request again); comma-separated, all, or none (default)
  --out FILE       where to save the failing run (default: NAME.found.tape beside FILE)
  --json           print one JSON object
  -- CMD...        the command to run (default: the recorded command line)

Exit codes: 0 a failing order was found, 1 none within --runs, 2 bad input, 70 a bug in looptape.
Examples:
  looptape explore recordings/examples/price-race.passing.tape --until differs
  looptape explore recordings/examples/retry-backoff.passing.tape --faults aborts --until js:examples/retry-backoff/oracle.mjs`;

export const explore: Command = {
  name: 'explore',
  summary: 'find the order of deliveries that makes the bug, and shrink it to one line',
  usage,
  async run(args, context) {
    const { options, command } = splitCommand(args);
    const { values, positionals } = parse(options, {
      until: { type: 'string', multiple: true }, runs: { type: 'string' }, seed: { type: 'string' }, strategy: { type: 'string' }, depth: { type: 'string' },
      jobs: { type: 'string' }, shard: { type: 'string' }, faults: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    }, usage);
    if (positionals.length !== 1) throw new UserError(positionals.length ? `one FILE at a time, got ${positionals.length}` : 'missing FILE', `usage: ${usage.split('\n')[0]}`);
    openRecording(positionals[0], usage, context.cwd).close();
    const file = path.resolve(context.cwd, positionals[0]);
    const recorded = readRecorded(file);
    if (recorded.unsupported) throw new UserError(`cannot explore: the program used ${recorded.unsupported}, which recordings do not capture`);
    const strategy = (values.strategy as string | undefined) ?? 'pct';
    if (strategy !== 'pct' && strategy !== 'random') throw new UserError(`--strategy is pct or random, not '${strategy}'`);
    const until = (values.until as string[] | undefined) ?? DEFAULT_ORACLES;
    const result = await exploreOrders({
      recorded,
      target: replayTarget(recorded.meta.argv, recorded.meta.cwd, command, context.cwd),
      env: context.env,
      oracles: until.map((u) => parseOracle(u, context.cwd)),
      runs: count(values.runs, '--runs', 200),
      seed: seedOf(values.seed),
      strategy,
      depth: count(values.depth, '--depth', 3),
      jobs: count(values.jobs, '--jobs', 1),
      shard: shardOf(values.shard as string | undefined),
      faults: faultsOf(values.faults as string | undefined),
      out: outFile(values.out as string | undefined, file, context.cwd),
      onProgress: !values.json && (context.stderr as NodeJS.WriteStream).isTTY ? progress(context) : undefined,
    });
    if (!values.json && (context.stderr as NodeJS.WriteStream).isTTY) context.stderr.write('\r\x1b[K');
    println(context.stdout, values.json ? JSON.stringify(result) : summary(result, context.cwd));
    return result.found ? EXIT.ok : EXIT.failed;
  },
};

function count(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} takes a whole number of at least 1, not '${value}'`);
  return n;
}

function seedOf(value: unknown): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UserError(`--seed takes a whole number, not '${value}'`);
  return n;
}

function shardOf(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) throw new UserError(`--shard is I/N with 1 ≤ I ≤ N (e.g. 1/2), not '${value}'`);
  return { index, count: total };
}

const FAULTS: Record<string, Fault> = { aborts: 'abort', errors: 'error', retries: 'retry' };

function faultsOf(value: string | undefined): Fault[] {
  if (value === undefined || value === 'none') return [];
  if (value === 'all') return Object.values(FAULTS);
  return value.split(',').map((name) => {
    const fault = FAULTS[name.trim()];
    if (!fault) throw new UserError(`unknown fault '${name}'`, 'one of: none, aborts, errors, retries, all (comma-separated)');
    return fault;
  });
}

/** The file to save to: --out (never replaced), else NAME.found.tape beside the recording (numbered when taken). */
function outFile(out: string | undefined, file: string, cwd: string): string {
  if (out !== undefined) {
    const resolved = path.resolve(cwd, out);
    if (fs.existsSync(resolved)) throw new UserError(`${out} already exists`, 'choose another --out; explore never replaces a file');
    if (!fs.existsSync(path.dirname(resolved))) throw new UserError(`the folder of ${out} does not exist`);
    return resolved;
  }
  const base = file.replace(/\.(tape|db|sqlite)$/, '');
  for (let n = 1; ; n++) {
    const candidate = `${base}.found${n > 1 ? `-${n}` : ''}.tape`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

function progress({ stderr }: CommandContext): (p: Progress) => void {
  return (p) => stderr.write(`\r\x1b[Kexploring: ${p.runs}/${p.of} runs · ${p.runsPerSecond.toFixed(1)} runs/s · ${p.distinctOrders} distinct orders · ${(p.elapsedMs / 1000).toFixed(1)} s`);
}

function summary(r: ExploreResult, cwd: string): string {
  const stats = `${r.distinctOrders} distinct orders, ${r.runsPerSecond} runs/s${r.leftRecording ? `; ${r.leftRecording} left the recording` : ''}${r.synthesized ? `; ${r.synthesized} answers synthesized` : ''}`;
  if (!r.found) return `no failing order in ${r.runs} runs (seed ${r.seed}, ${r.strategy}): ${stats}`;
  const out = path.relative(cwd, r.out!) || r.out!;
  return [
    `found a failing order in run ${r.foundRun! + 1} of ${r.runs} (seed ${r.seed}, ${r.strategy}): ${r.oracle}: ${r.reason}`,
    `  ${r.explanation}`,
    `  saved ${out}: its strict replay ${r.reproduced ? 'fails the same way' : 'did NOT fail the same way'} (shrunk in ${r.shrinkRuns} replays; ${stats})`,
    `  next: looptape replay ${out} · looptape inspect ${out} · looptape test ${out}`,
  ].join('\n');
}
