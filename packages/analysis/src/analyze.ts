import type { RecordingReader } from '@looptape/recording';
import { endedByItself, type AnalyzeOptions, type Context, type ProgramEnd } from './detect/context.js';
import { detectBlocked } from './detect/blocked.js';
import { detectErrors } from './detect/errors.js';
import { detectFanout } from './detect/fanout.js';
import { detectSwallowed } from './detect/swallowed.js';
import { detectScriptFloating } from './detect/floating.js';
import { detectLeaks } from './detect/leaks.js';
import { detectRogueLoops } from './detect/loops.js';
import { detectOrphans } from './detect/orphans.js';
import { atOwnLine } from './detect/own-line.js';
import { detectSlow, detectUnanswered } from './detect/requests.js';
import { compareFindings, type MissingFinding, type Report } from './findings.js';
import { Namer } from './model/paths.js';
import { PromiseIndex } from './model/promises.js';
import { readTaskTable, type AnalysisTasks } from './model/tasks.js';
import { readWorld, type World } from './model/world.js';

/** Handles Node lists as active that are the process's own stdio and signal watchers, not the program's work. */
const STDIO = new Set(['TTYWrap', 'PipeWrap', 'SignalWrap']);

const DEFAULTS: Required<AnalyzeOptions> = { slowMs: 1000, loopFires: 5, blockMs: 50, fanout: 32 };

/** What the analyser reads from a recording: the rich events gathered, and the task table. */
export interface RecordingModel {
  world: World;
  tasks: AnalysisTasks | null;
}

/**
 * Names the unawaited, orphaned and leaked async work in a recording, each finding with the
 * task path that led to it. Reads the hook stream once into columns and the other events
 * once (or takes them from a caller that already read them: `model`); never writes to the
 * recording.
 */
export function analyze(reader: RecordingReader, options: AnalyzeOptions = {}, model?: RecordingModel): Report {
  const world = model?.world ?? readWorld(reader);
  const tasks = model ? model.tasks : readTaskTable(reader);
  const ctx = context(world, tasks, withDefaults(options));
  const promises = tasks ? new PromiseIndex(tasks, world.outbound) : null;

  const errors = detectErrors(ctx, promises);
  const loops = detectRogueLoops(ctx);
  const claimedTasks = new Set<number>();
  for (const timer of loops.claimed) {
    if (timer.resource !== null) claimedTasks.add(timer.resource);
    for (const task of timer.fireTasks) claimedTasks.add(task);
  }
  const findings = [
    ...errors.findings,
    ...detectUnanswered(ctx),
    ...detectOrphans(ctx, promises, { timers: loops.claimed, tasks: claimedTasks }, errors.failed),
    ...(promises ? detectScriptFloating(ctx, promises, errors.failed) : []),
    ...loops.findings,
    ...detectLeaks(ctx, loops.claimed),
    ...detectSwallowed(ctx),
    ...detectBlocked(ctx, reader),
    ...detectFanout(ctx),
    ...detectSlow(ctx),
  ];
  return { findings: findings.map((f) => atOwnLine(ctx, f)).sort(compareFindings), missing: missing(ctx), suppressed: [] };
}

function withDefaults(options: AnalyzeOptions): Required<AnalyzeOptions> {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...defined };
}

function context(world: World, tasks: AnalysisTasks | null, options: Required<AnalyzeOptions>): Context {
  const lastSeq = Math.max(world.lastSeq, tasks?.lastSeq ?? 0);
  const lastT = Math.max(world.lastT, tasks?.lastT ?? 0);
  return { world, tasks, names: new Namer(world, tasks), options, end: programEnd(world, lastSeq, lastT), lastSeq, lastT };
}

function programEnd(world: World, lastSeq: number, lastT: number): ProgramEnd {
  const signal = world.signals[0];
  if (signal) return { how: 'signal', seq: signal.seq, t: signal.t, detail: `stopped by ${signal.signal}`, held: null };
  const exit = world.exit;
  if (!exit) return { how: 'killed', seq: lastSeq, t: lastT, detail: 'the recording has no exit: the program was killed', held: null };
  const fatal = world.errors.find((e) => e.kind === 'error.uncaught' || !e.handled);
  const held = world.active ? world.active.resources.filter((r) => !STDIO.has(r)) : null;
  if (fatal && exit.code !== 0) return { how: 'crash', seq: exit.seq, t: exit.t, detail: `crashed on ${fatal.name}: ${fatal.message}`, held };
  return { how: 'exit', seq: exit.seq, t: exit.t, detail: `exit code ${exit.code}`, held };
}

/** The kinds this recording cannot (fully) answer for, and why. */
function missing(ctx: Context): MissingFinding[] {
  const out: MissingFinding[] = [];
  if (!ctx.tasks) {
    const why = ctx.world.meta.promises === false ? 'recorded lean, and its task tree could not be derived by replaying it' : 'the recording has no task hooks';
    out.push({ kind: 'floating-promise', reason: `${why}: without the promise tree, awaited and floating promises look the same` });
    out.push({ kind: 'orphaned-task', partial: true, reason: `${why}: each timer and outbound call after a response is reported on its own, and work tracked until shutdown cannot be told from orphaned work` });
    out.push({ kind: 'rogue-loop', partial: true, reason: `${why}: only timers set directly in a timer's callback are chained, not through promises` });
  }
  if (!ctx.tasks) out.push({ kind: 'blocked-loop', reason: 'without the task hooks, how long each callback ran is not known' });
  if (ctx.end.how !== 'exit') {
    out.push({ kind: 'leaked-handle', reason: `the program did not end by itself (${ctx.end.detail}): what was still running then is not a leak` });
  } else if (!ctx.world.active) {
    out.push({ kind: 'leaked-handle', reason: 'the recording does not list the handles active at exit, so a process.exit() cannot be told from a program that ended by itself' });
  } else if (!ctx.tasks && endedByItself(ctx.end)) {
    out.push({ kind: 'leaked-handle', reason: 'without the task tree, a timer whose fire did nothing visible cannot be told from one that closed a server' });
  }
  return out;
}
