import { duration, endedByItself, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { timerLabel } from '../model/paths.js';
import type { Marker, TimerInfo } from '../model/world.js';

/** How long a program may linger after its last work before what held it open is a leak. */
export const KEPT_ALIVE_MS = 100;

/**
 * leaked-handle: a handle that kept the process alive past its last meaningful work. Only a
 * program that ended by itself can show one: at a process.exit() whatever was open is cut off
 * on purpose, and a timer still armed at a natural end was unref'd (background by design).
 * The handles are the program's timers that fired after its last work and did nothing visible
 * in those fires (no output, no call, no new task): waiting on them was all that was left.
 */
export function detectLeaks(ctx: Context, claimed: ReadonlySet<TimerInfo>): Finding[] {
  if (!endedByItself(ctx.end) || !ctx.tasks) return [];
  const lastWork = lastWorkBefore(ctx, ctx.end.seq);
  const since = lastWork?.t ?? 0;
  if (ctx.end.t - since < KEPT_ALIVE_MS) return [];
  const after = lastWork?.seq ?? 0;
  // An interval never cleared in a program that ended by itself was unref'd: it held nothing open.
  const unrefd = (t: TimerInfo) => t.api === 'setInterval' && t.clearSeq === null;
  const keepers = ctx.world.timers.filter((t) => !claimed.has(t) && !unrefd(t) && t.fireSeqs.some((s) => s > after) && idle(ctx, t, after));
  // The wait must have ended on these timers: the program ended soon after their last fire. A
  // long wait after it was on something else (a kept-alive socket) that the recording cannot name.
  const lastFireT = Math.max(...keepers.map((t) => t.fireTs[t.fireTs.length - 1]));
  if (keepers.length === 0 || ctx.end.t - lastFireT > KEPT_ALIVE_MS) return [];
  // Nor when another timer fired after them, one whose fire did something (a shutdown timer
  // closing the servers): the process waited for that one, and these had simply fired before it.
  const lastFireSeq = Math.max(...keepers.map((t) => t.fireSeqs[t.fireSeqs.length - 1]));
  if (ctx.world.timers.some((t) => !keepers.includes(t) && t.fireSeqs.some((s) => s > lastFireSeq && s < ctx.end.seq))) return [];
  // Nor when the program went on after their last fire (a wait that ends in closing the server:
  // the work came through a promise the fire resolved): they were a step, not all that was left.
  if (createdBetween(ctx, lastFireSeq, ctx.end.seq)) return [];
  const bySite = new Map<string, TimerInfo[]>();
  for (const t of keepers) {
    const key = `${t.site ?? ''} ${timerLabel(t)}`;
    bySite.set(key, [...(bySite.get(key) ?? []), t]);
  }
  return [...bySite.values()].map((timers) => toFinding(ctx, timers, lastWork));
}

/** The last work event (see World.work) before `seq`. */
export function lastWorkBefore(ctx: Context, seq: number): Marker | null {
  const work = ctx.world.work;
  for (let i = work.length - 1; i >= 0; i--) if (work[i].seq < seq) return work[i];
  return null;
}

/** Whether the program created any task between two seqs. */
function createdBetween(ctx: Context, from: number, to: number): boolean {
  const tasks = ctx.tasks!;
  for (let row = tasks.count - 1; row >= 0 && tasks.initSeq.get(row) > from; row--) {
    if (tasks.initSeq.get(row) < to) return true;
  }
  return false;
}

/** The timer's fires after `after` created no task (a server's close, a promise) in the program. */
function idle(ctx: Context, timer: TimerInfo, after: number): boolean {
  const tasks = ctx.tasks!;
  const firing = new Set(timer.fireTasks.filter((_, i) => timer.fireSeqs[i] > after));
  if (timer.resource !== null) firing.add(timer.resource);
  const first = timer.fireSeqs.find((s) => s > after)!;
  for (let row = tasks.count - 1; row >= 0 && tasks.initSeq.get(row) > first; row--) {
    if (firing.has(tasks.exec.get(row))) return false;
  }
  return true;
}

function toFinding(ctx: Context, timers: TimerInfo[], lastWork: Marker | null): Finding {
  const first = timers[0];
  const lastFire = Math.max(...timers.flatMap((t) => t.fireSeqs));
  const task = first.resource ?? first.task;
  const lingered = ctx.end.t - (lastWork?.t ?? 0);
  const count = timers.length > 1 ? ` (${timers.length} of them)` : '';
  return finding('leaked-handle', 'warning', {
    message: `${timerLabel(first)}${count} kept the process alive ${duration(lingered)} after its last work; its fires then did nothing visible`,
    task,
    taskPath: ctx.names.taskPath(task, first.scope, first.resource === null ? timerLabel(first) : undefined),
    request: first.scope,
    requestLabel: ctx.names.requestLabel(first.scope),
    location: first.site,
    seq: lastFire,
    evidence: { api: first.api, delayMs: first.delay, timers: timers.length, lastWorkT: lastWork ? ms(lastWork.t) : null, exitT: ms(ctx.end.t), lingeredMs: ms(lingered) },
    reason: {
      rule: 'leaked-handle/kept-alive',
      why: `the program ended by itself ${duration(lingered)} after its last visible work (seq ${lastWork?.seq ?? 0}); until then it only waited for ${timerLabel(first)}, whose fire did nothing visible`,
      evidence: [...(lastWork ? [lastWork.seq] : []), ...timers.map((t) => t.setSeq), lastFire, ctx.end.seq],
      fine: `unref() the timer, or clear it when the work it belongs to is done, so the process can end when its work does`,
    },
  });
}
