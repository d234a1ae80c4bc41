import { duration, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import type { PromiseIndex } from '../model/promises.js';
import { timerLabel } from '../model/paths.js';
import type { TimerInfo } from '../model/world.js';

/**
 * floating-promise outside requests (scripts): an async call whose promise nobody observes,
 * that settled after the code that made it had finished its run, and whose work the program
 * can be seen doing (a timer it set in that run). Async callbacks Node itself calls, and
 * promises already reported as unhandled rejections (`failed`), are left out.
 */
export function detectScriptFloating(ctx: Context, promises: PromiseIndex, failed: ReadonlySet<number>): Finding[] {
  const tasks = promises.tasks;
  const timersBySetter = new Map<number, TimerInfo[]>();
  for (const timer of ctx.world.timers) {
    if (timer.scope !== null) continue;
    const list = timersBySetter.get(timer.task);
    if (list) list.push(timer);
    else timersBySetter.set(timer.task, [timer]);
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [creator, rows] of promises.byCreator) {
    const timers = timersBySetter.get(creator);
    if (!timers) continue;
    for (const row of rows) {
      if (tasks.scope.get(row) !== 0 || !promises.unobserved(row)) continue;
      const run = tasks.initRun.get(row);
      const runEnd = tasks.runEnd.get(run);
      const settled = tasks.resolveSeq.get(row);
      const key = `${creator}:${run}`;
      if (seen.has(key) || (settled !== 0 && settled <= runEnd) || (settled === 0 && ctx.end.how !== 'exit')) continue;
      const work = timers.filter((t) => t.setSeq > tasks.initSeq.get(row) && t.setSeq <= runEnd);
      if (work.length === 0 || failed.has(tasks.ids.get(row)) || promises.isCallbackResult(row)) continue;
      seen.add(key);
      findings.push(toFinding(ctx, row, settled, work));
    }
  }
  return findings;
}

function toFinding(ctx: Context, row: number, settled: number, work: TimerInfo[]): Finding {
  const tasks = ctx.tasks!;
  const id = tasks.ids.get(row);
  const late = settled ? tasks.resolveT.get(row) - tasks.initT.get(row) : null;
  const when = late === null ? 'was still pending when the program exited' : `settled ${duration(late)} later, after the code that called it had moved on`;
  return finding('floating-promise', 'warning', {
    message: `async call never awaited: its promise ${when} (its work: ${work.map(timerLabel).join(', ')})`,
    task: id,
    taskPath: ctx.names.taskPath(id, null),
    request: null,
    requestLabel: null,
    location: ctx.names.callSite(id) ?? ctx.names.location(id) ?? work[0].site,
    seq: settled || tasks.initSeq.get(row),
    evidence: {
      settled: settled !== 0, settledAfterMs: late === null ? null : ms(late), createdT: ms(tasks.initT.get(row)),
      calledFunctionAt: ctx.names.callSite(id) ? ctx.names.location(id) : null, work: work.map((t) => ({ timer: timerLabel(t), site: t.site })),
    },
    reason: {
      rule: 'floating-promise/unawaited-call',
      why: `the async call's promise (created at seq ${tasks.initSeq.get(row)}) was observed by nobody: no await, then, catch, finally or combinator chained from it; and it ${settled ? `settled (seq ${settled}) after the run that called it had ended (seq ${tasks.runEnd.get(tasks.initRun.get(row))})` : 'was still pending at exit'}`,
      evidence: [tasks.initSeq.get(row), ...work.map((t) => t.setSeq), ...(settled ? [settled] : [])],
      fine: 'awaited by nobody: an await (or a .then/.catch) on the call would settle it before the code that needs its result runs',
    },
  });
}
