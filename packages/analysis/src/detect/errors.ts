import { finding, type Context } from './context.js';
import type { Finding } from '../findings.js';
import type { PromiseIndex } from '../model/promises.js';
import { userFrame } from '../model/paths.js';
import type { ErrorEvent } from '../model/world.js';

/**
 * uncaught-error and unhandled-rejection, one per recorded error, each with the task path to
 * where the failing work started (the recorder emits a rejection in the context of the
 * rejected promise), not only the stack. Returns the tasks it named (the rejected promises,
 * the tasks that threw), so the orphan and floating detectors do not name them again.
 */
export function detectErrors(ctx: Context, promises: PromiseIndex | null): { findings: Finding[]; failed: Set<number> } {
  const findings: Finding[] = [];
  const failed = new Set<number>();
  for (const e of ctx.world.errors) {
    const task = e.promise ?? (e.task || null);
    if (task !== null) failed.add(task);
    findings.push(toFinding(ctx, promises, e, task));
  }
  return { findings, failed };
}

function toFinding(ctx: Context, promises: PromiseIndex | null, e: ErrorEvent, task: number | null): Finding {
  const tasks = ctx.tasks;
  const row = task === null || !tasks ? -1 : tasks.row(task);
  const scope = e.scope ?? (row >= 0 ? tasks!.scope.get(row) || null : null);
  const thrownAt = userFrame(e.stack);
  const startedAt = ctx.names.location(task);
  const floating = row >= 0 && promises !== null && tasks!.isPromise(row) && !tasks!.isDerived(row) && promises.unobserved(row);
  const error = `${e.name}: ${e.message}`;
  const common = {
    task,
    taskPath: ctx.names.taskPath(task, scope),
    request: scope,
    requestLabel: ctx.names.requestLabel(scope),
    location: thrownAt ?? startedAt,
    seq: e.seq,
  };
  if (e.kind === 'error.uncaught') {
    return finding('uncaught-error', 'error', {
      ...common,
      message: `uncaught ${error} in ${task === null ? 'the main script' : ctx.names.taskLabel(task)}`,
      evidence: { error, thrownAt, startedAt, t: e.t, stack: stackHead(e.stack) },
      reason: {
        rule: 'uncaught-error/recorded',
        why: `Node reported ${error} as uncaught (seq ${e.seq}): nothing caught it where it was thrown, and it ${ctx.world.exit && ctx.world.exit.code !== 0 ? 'ended the process' : 'reached the process'}`,
        evidence: [e.seq, ...(ctx.world.exit ? [ctx.world.exit.seq] : [])],
        fine: `a try/catch around the work in ${task === null ? 'the main script' : ctx.names.taskLabel(task)} (or a handler of the error it raises)`,
      },
    });
  }
  const handledBy = e.handled ? ' (the program\'s own unhandledRejection handler saw it)' : '';
  return finding('unhandled-rejection', e.handled ? 'warning' : 'error', {
    ...common,
    message: `${error} rejected ${floating ? 'an async call nobody awaited' : 'a promise nobody handled'}${handledBy}`,
    evidence: { error, thrownAt, startedAt, handled: e.handled, floating, t: e.t, stack: stackHead(e.stack) },
    reason: {
      rule: e.handled ? 'unhandled-rejection/process-handler' : 'unhandled-rejection/recorded',
      why: `Node reported the rejection with ${error} as unhandled (seq ${e.seq}): ${floating ? 'the promise came from an async call nobody awaited, and nothing chained from it' : 'no .catch, await or then-handler observed the rejected promise'}${e.handled ? '; only the program\'s process-wide handler saw it' : ''}`,
      evidence: [e.seq, ...(row >= 0 ? [tasks!.initSeq.get(row)] : [])],
      fine: floating ? 'await the call (or add a .catch that handles the failure) where it is made' : 'a .catch or try/await around the promise that handles the failure',
    },
  });
}

function stackHead(stack: string): string[] {
  return stack.split('\n').slice(1, 6).map((l) => l.trim());
}
