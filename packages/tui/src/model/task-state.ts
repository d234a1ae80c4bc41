import type { LoopEvent, TaskSummary } from '@looptape/recording';
import type { EventPages } from '../data/event-pages.js';
import type { TimerIndex } from '../data/timers.js';

export type TaskState = 'pending' | 'running' | 'settled' | 'leaked';

export interface Moment {
  seq: number;
  t: number;
}

/** Work that should finish: still pending after its request ended, it has leaked. */
const WORK_TYPES = new Set(['PROMISE', 'Timeout', 'Immediate', 'TickObject']);

/**
 * When a task was over for good: a promise when it resolved, a timer when it was
 * cleared or ran for the last time (an interval only when cleared), any other
 * resource after its last callback. Null when it never was.
 */
export function settledAt(task: TaskSummary, timers: TimerIndex): Moment | null {
  if (task.type === 'PROMISE') return task.resolveSeq === null ? null : { seq: task.resolveSeq, t: task.resolveT ?? task.initT };
  const lastRun = task.lastAfterSeq === null ? null : { seq: task.lastAfterSeq, t: task.lastAfterT ?? task.initT };
  const cleared = timers.cleared(task.id);
  if (cleared) return lastRun && lastRun.seq > cleared.seq ? lastRun : cleared;
  if (timers.set(task.id)?.repeat) return null;
  return lastRun;
}

export interface StateContext {
  cursor: Moment;
  lastSeq: number;
  running: ReadonlySet<number>;
  timers: TimerIndex;
  /** The seq at which a request scope's response ended, if it did. */
  scopeEnd(exchange: number): number | null;
}

/** A task's state at the cursor (the task must already exist there). */
export function taskState(task: TaskSummary, ctx: StateContext): TaskState {
  if (ctx.running.has(task.id)) return 'running';
  const settled = settledAt(task, ctx.timers);
  if (settled) return settled.seq <= ctx.cursor.seq ? 'settled' : 'pending';
  if (ctx.cursor.seq >= ctx.lastSeq) return 'leaked';
  const end = task.scope === null ? null : ctx.scopeEnd(task.scope);
  return end !== null && end <= ctx.cursor.seq && WORK_TYPES.has(task.type) ? 'leaked' : 'pending';
}

/** How long a task lived: to its settling, or so far (open) at the cursor. */
export function taskDuration(task: TaskSummary, ctx: StateContext): { ms: number; open: boolean } {
  const settled = settledAt(task, ctx.timers);
  if (settled && settled.seq <= ctx.cursor.seq) return { ms: settled.t - task.initT, open: false };
  return { ms: Math.max(0, ctx.cursor.t - task.initT), open: true };
}

/**
 * The tasks whose callback is on the stack at the cursor: walking back, a `task.before`
 * not closed by a later `task.after` (up to the cursor) is still running. Callbacks are
 * short, so a bounded look back finds them.
 */
export function runningAt(pages: EventPages, cursor: number, lookBack = 1024): Set<number> {
  const events: LoopEvent[] = pages.before(cursor, lookBack);
  const current = pages.at(cursor);
  if (current) events.push(current);
  const closed = new Map<number, number>();
  const running = new Set<number>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind === 'task.after') closed.set(e.task, (closed.get(e.task) ?? 0) + 1);
    else if (e.kind === 'task.before') {
      const open = closed.get(e.task) ?? 0;
      if (open > 0) closed.set(e.task, open - 1);
      else running.add(e.task);
    }
  }
  return running;
}
