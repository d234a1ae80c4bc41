import type { RecordingReader } from '@looptape/recording';
import { plural } from './activity.js';
import { duration, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { timerLabel } from '../model/paths.js';
import type { TimerInfo } from '../model/world.js';

/**
 * blocked-loop: a callback that ran synchronously (one top-level run, from Node calling it to
 * the stack emptying) for `blockMs` or longer, named by its line and the request it served,
 * with the timers that came due while it ran and fired only after. A run that delayed none of
 * the program's timers is left out: what it cost is not visible in the recording, and a long
 * run with nothing waiting is as often the machine (another process, a GC pause, Node loading
 * undici on the first fetch) as the program. And the run's stretches of PAUSE_MS or more with
 * no event recorded do not count toward its time: on a busy machine the process is often
 * paused like that, and a pause cannot be told from a silent computation (a big JSON.parse,
 * missed for now). Runs
 * before the program's first delivery (start-up, module loading) are left out too.
 */
export function detectBlocked(ctx: Context, reader: RecordingReader): Finding[] {
  const tasks = ctx.tasks;
  if (!tasks) return [];
  // A loop, not Math.min(...timers): a spread of 100k timers overflows the stack.
  let firstDelivery = ctx.world.deliveries[0] ?? Infinity;
  for (const t of ctx.world.timers) firstDelivery = Math.min(firstDelivery, t.fireSeqs[0] ?? Infinity);
  const findings: Finding[] = [];
  for (let run = 1; run < tasks.runEnd.length; run++) {
    const [start, end, startT] = [tasks.runStart.get(run), tasks.runEnd.get(run), tasks.runStartT.get(run)];
    // Before the first delivery: start-up. But a run that serves an inbound request is not (on
    // Node 22 the request's event comes just after its parser's callback started).
    if (start < firstDelivery && !ctx.world.inbound.some((x) => x.seq >= start && x.seq <= end)) continue;
    // The hooks' clock can be a reading shared from the run's start (promise events share one):
    // a run with many events is measured by its events' own times too.
    if (tasks.runEndT.get(run) - startT < ctx.options.blockMs && end - start < MANY_EVENTS) continue;
    const { silent, lastT } = scan(reader, start, end);
    const endT = Math.max(tasks.runEndT.get(run), lastT);
    const took = endT - startT;
    if (took < ctx.options.blockMs) continue;
    const delayed = ctx.world.timers.filter((t) => dueDuring(t, startT, endT, end));
    if (delayed.length === 0 || took - silent < ctx.options.blockMs) continue;
    findings.push(toFinding(ctx, run, took, endT, delayed));
  }
  return findings;
}

function toFinding(ctx: Context, run: number, took: number, endT: number, delayed: TimerInfo[]): Finding {
  const tasks = ctx.tasks!;
  const [start, end] = [tasks.runStart.get(run), tasks.runEnd.get(run)];
  const startT = tasks.runStartT.get(run);
  const task = tasks.runTask.get(run);
  const request = servedRequest(ctx, task, start, end);
  const next = ctx.world.deliveries.filter((s) => s > end).slice(0, 3);
  const what = ctx.world.timerByResource.get(task) ? `the ${ctx.names.taskLabel(task)} callback` : request !== null ? 'the request handler' : `a ${ctx.names.taskLabel(task)} callback`;
  const delays = `; ${plural(delayed.length, 'timer')} came due meanwhile (${[...new Set(delayed.map(timerLabel))].slice(0, 3).join(', ')})`;
  return finding('blocked-loop', 'warning', {
    message: `${what} ran synchronously for ${duration(took)}, blocking the event loop${delays}`,
    task,
    taskPath: ctx.names.taskPath(task, request),
    request,
    requestLabel: ctx.names.requestLabel(request),
    location: siteInRun(ctx, task, start, end),
    seq: start,
    evidence: { blockedMs: ms(took), startT: ms(startT), endT: ms(endT), delayedTimers: delayed.map((t) => ({ timer: timerLabel(t), site: t.site, dueT: ms(t.setT + t.delay) })), nextDeliveries: next },
    reason: {
      rule: 'blocked-loop/long-callback',
      why: `one callback ran from seq ${start} to seq ${end} (${duration(took)}) without yielding, at least --block ${ctx.options.blockMs} ms, and ${plural(delayed.length, 'timer')} due meanwhile fired only after it: nothing else could run until it returned`,
      evidence: [start, end, ...delayed.map((t) => t.setSeq), ...next],
      fine: 'make the slow part asynchronous (a worker thread, a streaming parser), or split it into chunks that yield (setImmediate) between them',
    },
  });
}

/** A stretch this long (ms) with no event recorded is taken as the process paused, not working. */
const PAUSE_MS = 10;

/** Runs with this many events or more are measured by their events' times, whatever their hooks say. */
const MANY_EVENTS = 1000;

/**
 * The recorded events from `from` to `to`: the time spent in stretches of PAUSE_MS or more
 * between two of them, and the time of the last one.
 */
function scan(reader: RecordingReader, from: number, to: number): { silent: number; lastT: number } {
  let silent = 0;
  let last: number | null = null;
  for (const e of reader.events({ fromSeq: from, toSeq: to })) {
    if (last !== null && e.t - last >= PAUSE_MS) silent += e.t - last;
    last = e.t;
  }
  return { silent, lastT: last ?? 0 };
}

/** A timer due within the run that fired (or was still pending) only after it. */
function dueDuring(t: TimerInfo, startT: number, endT: number, endSeq: number): boolean {
  if (t.api === 'setImmediate' || t.setSeq > endSeq || (t.clearSeq !== null && t.clearSeq < endSeq)) return false;
  const firesAfter = t.fireSeqs.find((s) => s > endSeq) !== undefined || (t.fireSeqs.length === 0 && t.clearSeq === null);
  if (!firesAfter) return false;
  // Node re-arms an interval `delay` ms after each fire (a late fire shifts the next).
  const fired = t.fireTs.filter((ft) => ft <= startT);
  const base = t.api === 'setInterval' && fired.length ? fired[fired.length - 1] : t.setT;
  const due = t.api === 'setInterval' ? base + t.delay * Math.max(1, Math.ceil((startT - base) / t.delay)) : t.setT + t.delay;
  // Due in the millisecond the run started (times are whole milliseconds): it waited for the run too.
  return due >= startT && due < endT;
}

/** The inbound request the run served: its task's scope, or a request that arrived in it. */
function servedRequest(ctx: Context, task: number, start: number, end: number): number | null {
  const row = ctx.tasks!.row(task);
  const scope = row >= 0 ? ctx.tasks!.scope.get(row) : 0;
  if (scope) return scope;
  return ctx.world.inbound.find((x) => x.seq >= start && x.seq <= end)?.id ?? null;
}

/** Where in the program the run was: its timer's site, the task's recorded stack, or a call it made. */
function siteInRun(ctx: Context, task: number, start: number, end: number): string | null {
  const own = ctx.names.location(task);
  if (own) return own;
  const timer = ctx.world.timers.find((t) => t.setSeq >= start && t.setSeq <= end && t.site);
  const call = ctx.world.outbound.find((x) => x.seq >= start && x.seq <= end && x.site);
  return timer?.site ?? call?.site ?? null;
}
