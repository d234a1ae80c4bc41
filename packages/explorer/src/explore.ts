import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finalizeRecording } from '@looptape/recording';
import { deliveryEvents, deliveryId, loadRecording, type ChooseOptions, type Delivery, type Fault, type ReplayResult } from '@looptape/replayer';
import { explain } from './explain.js';
import { applyMoves, ddmin, movesBetween, type Move } from './moves.js';
import { evaluate, oracleText, type Oracle, type Trip } from './oracles.js';
import { inOrder } from './pool.js';
import { findingsOf, type RecordedRun } from './recorded.js';
import { Hosts } from './hosts.js';
import { runReplay, type RunOptions } from './run.js';
import type { Target } from './target.js';

export interface ExploreOptions {
  recorded: RecordedRun;
  target: Target;
  env: NodeJS.ProcessEnv;
  oracles: Oracle[];
  runs: number;
  seed: number;
  strategy: 'pct' | 'random';
  depth: number;
  jobs: number;
  /** This machine's share of the runs: index (from 1) of count. */
  shard?: { index: number; count: number };
  faults: Fault[];
  /** Where to save the found run. */
  out: string;
  onProgress?: (p: Progress) => void;
  /** How each run is replayed (set by explore: in replay hosts). */
  replayer?: (options: RunOptions) => Promise<ReplayResult>;
}

export interface Progress {
  runs: number;
  of: number;
  runsPerSecond: number;
  distinctOrders: number;
  elapsedMs: number;
}

/** What `explore --json` prints. */
export interface ExploreResult {
  found: boolean;
  runs: number;
  seed: number;
  strategy: string;
  oracle: string | null;
  reason: string | null;
  explanation: string | null;
  differences: Array<{ moved: string; before: string | null }>;
  out: string | null;
  runsPerSecond: number;
  synthesized: number;
  leftRecording: number;
  distinctOrders: number;
  /** The run (index from 0) that found it. */
  foundRun: number | null;
  /** Replays spent shrinking. */
  shrinkRuns: number;
  /** Whether a strict replay of the saved recording tripped the oracle again. */
  reproduced: boolean | null;
}

/** Each run's own seed, derived from the explore seed and the run's index. */
export function runSeed(seed: number, run: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(run + 1, 0x27d4eb2d)) | 0;
}

/**
 * Replays the recording under other orders of its deliveries until one trips an oracle, then
 * shrinks the difference to the moves it needs and saves that run as a recording of its own.
 */
export async function explore(given: ExploreOptions): Promise<ExploreResult> {
  // Searching and shrinking replay in hosts; the found run is saved and checked in processes of its own.
  const hosts = new Hosts(given.target, given.env);
  try {
    return await search({ ...given, replayer: (run) => hosts.run(run) });
  } finally {
    hosts.close();
  }
}

async function search(options: ExploreOptions): Promise<ExploreResult> {
  const { recorded, runs, seed, strategy, depth, jobs, shard } = options;
  const indices = Array.from({ length: runs }, (_, i) => i).filter((i) => !shard || i % shard.count === shard.index - 1);
  const orders = new Set<string>();
  let synthesized = 0;
  let left = 0;
  let done = 0;
  const started = Date.now();
  const choose = (i: number): ChooseOptions => strategy === 'random'
    ? { strategy: 'random', seed: runSeed(seed, i) }
    : { strategy: 'pct', seed: runSeed(seed, i), depth: 1 + (i % depth), expectedSteps: recorded.schedule.length };
  const results = await inOrder(indices, jobs, async (i) => {
    const { run, trip } = await tryOrder(options, { choose: choose(i), faults: options.faults });
    done++;
    orders.add(run.schedule.map(deliveryId).join('\n'));
    synthesized += run.synthesized;
    if (run.leftRecording) left++;
    const elapsedMs = Date.now() - started;
    options.onProgress?.({ runs: done, of: indices.length, runsPerSecond: done / Math.max(elapsedMs / 1000, 0.001), distinctOrders: orders.size, elapsedMs });
    return { run, trip };
  }, (_i, r) => r.trip !== undefined);
  const searchMs = Date.now() - started;
  const foundRun = [...results.entries()].filter(([, r]) => r.trip).sort(([a], [b]) => a - b)[0];
  const base = {
    runs: done, seed, strategy, runsPerSecond: round(done / Math.max(searchMs / 1000, 0.001)), synthesized, leftRecording: left, distinctOrders: orders.size,
  };
  if (!foundRun) {
    return { ...base, found: false, oracle: null, reason: null, explanation: null, differences: [], out: null, foundRun: null, shrinkRuns: 0, reproduced: null };
  }
  const [index, { run }] = foundRun;
  // Runs up to the one that found it: runs started after it (with --jobs) do not count.
  base.runs = indices.filter((i) => i <= index).length;
  const shrunk = await shrink(options, run.schedule);
  const explanation = explain(shrunk.moves);
  const saved = await save(options, shrunk, explanation, index);
  return {
    ...base, found: true, oracle: oracleText(options.oracles[saved.trip.index], options.target.cwd), reason: saved.trip.reason, explanation,
    differences: shrunk.moves.map((m) => ({ moved: deliveryId(m.moved), before: m.before ? deliveryId(m.before) : null })),
    out: options.out, foundRun: index, shrinkRuns: shrunk.runs, reproduced: saved.reproduced,
  };
}

interface Tried {
  run: ReplayResult;
  trip: Trip | undefined;
}

/** One replay under the given choices, judged by the oracles. A run that left the recording is not a bug. */
async function tryOrder(options: ExploreOptions, replay: { choose: ChooseOptions; faults: Fault[] }, saveTo?: { out: string; meta?: Record<string, unknown> }): Promise<Tried> {
  const replayer = (!saveTo && options.replayer) || runReplay;
  const needsFindings = options.oracles.some((o) => o.kind === 'finding');
  const scratch = needsFindings && !saveTo ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-explore-')), 'run.tape') : undefined;
  const save = saveTo ?? (scratch ? { out: scratch } : undefined);
  try {
    const run = await replayer({ ...options.target, file: options.recorded.file, env: options.env, replay: { ...replay, answers: 'similar', save } });
    if (run.leftRecording || run.divergence) return { run, trip: undefined };
    if (save) finalizeRecording(save.out);
    const trip = await evaluate(options.oracles, run, { recorded: options.recorded.responses, findings: save && needsFindings ? findingsOf(save.out) : undefined });
    return { run, trip };
  } finally {
    if (scratch) fs.rmSync(path.dirname(scratch), { recursive: true, force: true });
  }
}

interface Shrunk {
  moves: Move[];
  order: Delivery[];
  runs: number;
}

/** The found order's moves against the recorded order, cut down by delta debugging to those the bug needs. */
async function shrink(options: ExploreOptions, found: Delivery[]): Promise<Shrunk> {
  const recorded = options.recorded.schedule;
  let runs = 0;
  const fails = async (moves: Move[]) => {
    runs++;
    const { trip } = await tryOrder(options, { choose: { strategy: 'guided', order: applyMoves(recorded, moves) }, faults: options.faults });
    return trip !== undefined;
  };
  const all = movesBetween(recorded, found);
  // Guided by the moves, the run may not take the found path: then keep the found order as it is.
  if (!(await fails(all))) return { moves: all, order: found, runs };
  if (all.length > 0 && (await fails([]))) return { moves: [], order: recorded, runs };
  const moves = all.length > 1 ? await ddmin(all, fails) : all;
  // Each move as late as it still fails: the delivery it must come before is the one it races.
  // (Taken as the found run made it: that one says where timers were set and whom answers served.)
  const asFound = new Map(found.map((d) => [deliveryId(d), d]));
  for (let i = 0; i < moves.length; i++) {
    for (let next = laterThan(recorded, moves, moves[i].before); next; next = laterThan(recorded, moves, next)) {
      const before = asFound.get(deliveryId(next)) ?? next;
      const tried = moves.map((m, j) => (j === i ? { ...m, before } : m));
      if (!(await fails(tried))) break;
      moves[i] = tried[i];
    }
  }
  return { moves, order: applyMoves(recorded, moves), runs };
}

/** The recorded delivery after `d` that no move takes away. */
function laterThan(recorded: readonly Delivery[], moves: readonly Move[], d: Delivery | undefined): Delivery | undefined {
  if (!d) return undefined;
  const moved = new Set(moves.map((m) => deliveryId(m.moved)));
  const at = recorded.findIndex((r) => deliveryId(r) === deliveryId(d));
  return recorded.slice(at + 1).find((r) => !moved.has(deliveryId(r)));
}

/** Runs the shrunk order once more, saving it as a recording, and checks that a strict replay of it fails the same way. */
async function save(options: ExploreOptions, shrunk: Shrunk, explanation: string, index: number): Promise<{ trip: Trip; reproduced: boolean }> {
  const dir = fs.mkdtempSync(path.join(path.dirname(options.out), '.looptape-found-'));
  const tmp = path.join(dir, path.basename(options.out));
  try {
    const found = {
      parent: options.recorded.meta.recordingId ?? null, seed: options.seed, strategy: options.strategy, run: index, explanation,
      until: options.oracles.map((o) => oracleText(o, options.target.cwd)), moved: shrunk.moves.map((m) => deliveryId(m.moved)), schedule: shrunk.order,
      // What the passing run answered: what `differs` compares with when this run is a regression test.
      expected: options.recorded.responses,
    };
    const { run, trip } = await tryOrder(options, { choose: { strategy: 'guided', order: shrunk.order }, faults: options.faults }, {
      out: tmp, meta: { argv: options.target.argv, cwd: options.target.cwd, found },
    });
    if (!trip) throw new Error(`the shrunk order no longer trips the oracle when saved (${run.leftRecording ?? 'no reason'})`);
    const at = deliveryEvents(loadRecording(tmp).events);
    const movedSeqs = found.moved.map((id) => at.get(id)).filter((seq) => seq !== undefined);
    finalizeRecording(tmp, { found: { ...found, movedSeqs, oracle: oracleText(options.oracles[trip.index], options.target.cwd), reason: trip.reason } });
    // The saved run, replayed strictly, must show the same failure.
    const strict = await runReplay({ ...options.target, file: tmp, env: options.env });
    const again = strict.ok ? await evaluate(options.oracles, strict, { recorded: options.recorded.responses, findings: options.oracles.some((o) => o.kind === 'finding') ? findingsOf(tmp) : undefined }) : undefined;
    fs.renameSync(tmp, options.out);
    return { trip, reproduced: again !== undefined };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
