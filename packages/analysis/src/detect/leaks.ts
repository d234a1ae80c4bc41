import { finding, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { timerLabel } from '../model/paths.js';
import type { TimerInfo } from '../model/world.js';

/** Resources Node lists as active that are not the program's leaks (stdio), or that the timers already cover. */
const NOT_LEAKS = new Set(['TTYWrap', 'Timeout', 'Immediate', 'PipeWrap', 'SignalWrap']);

/**
 * leaked-handle: when the program ended by itself (not a crash, not a signal), the timers,
 * intervals and immediates it set outside any request and never cleared, and any other
 * handle (socket, server) the recorder listed as still active at exit. Timers of a request's
 * scope are the orphan detector's; `claimed` ones (rogue loops) are reported already.
 */
export function detectLeaks(ctx: Context, claimed: ReadonlySet<TimerInfo>): Finding[] {
  if (ctx.end.how !== 'exit') return [];
  const findings: Finding[] = [];
  for (const timer of ctx.world.timers) {
    if (timer.scope !== null || claimed.has(timer) || timer.clearSeq !== null) continue;
    const live = timer.api === 'setInterval' || timer.fireSeqs.length === 0;
    if (!live) continue;
    const task = timer.resource ?? timer.task;
    const fired = timer.fireSeqs.length ? `, after firing ${timer.fireSeqs.length} times` : ', never fired';
    findings.push(finding('leaked-handle', 'warning', {
      message: `${timerLabel(timer)} still active when the program exited (${ctx.end.detail})${fired}; nothing cleared it`,
      task,
      taskPath: ctx.names.taskPath(task, null, timer.resource === null ? timerLabel(timer) : undefined),
      request: null,
      requestLabel: null,
      location: timer.site,
      seq: timer.setSeq,
      evidence: { api: timer.api, delayMs: timer.delay, fires: timer.fireSeqs.length, setT: timer.setT, exitT: ctx.end.t },
    }));
  }
  const active = ctx.world.active;
  const handles = active ? active.resources.filter((r) => !NOT_LEAKS.has(r)) : [];
  if (active && handles.length) {
    findings.push(finding('leaked-handle', 'warning', {
      message: `${handles.length} handle${handles.length === 1 ? '' : 's'} still open when the program exited: ${[...new Set(handles)].join(', ')}`,
      task: null,
      taskPath: 'main',
      request: null,
      requestLabel: null,
      location: null,
      seq: active.seq,
      evidence: { resources: handles },
    }));
  }
  return findings;
}
