import type { Context } from './context.js';
import { exchangeLabel, timerLabel } from '../model/paths.js';
import type { Exchange, TimerInfo } from '../model/world.js';

/** Something a request's work did (or still had scheduled) after the request was over. */
export interface Activity {
  what: 'fire' | 'pending' | 'call' | 'answer';
  seq: number;
  t: number;
  /** The task it happened in (a timer's own resource for fires and pending timers). */
  task: number;
  /** `setTimeout 200ms`, `POST http://…/charge`. */
  label: string;
  site: string | null;
  timer?: TimerInfo;
  exchange?: Exchange;
}

/**
 * What work of request scope `scope` did after `endSeq`: its timers that fired or were
 * still pending at the end of the recording, the outbound calls it made, and the answers
 * to calls it had made before that arrived only after. Timers in `claimed` are left out.
 */
export function activityAfter(ctx: Context, scope: number, endSeq: number, claimed: ReadonlySet<TimerInfo>): Activity[] {
  const out: Activity[] = [];
  for (const timer of ctx.world.timersByScope.get(scope) ?? []) {
    // An immediate runs in the same turn of the event loop (Express's finalhandler winds down
    // that way): not work outliving the request. Real work it starts (a call, a timer) counts on its own.
    if (claimed.has(timer) || timer.api === 'setImmediate') continue;
    const task = timer.resource ?? timer.task;
    const base = { label: timerLabel(timer), site: timer.site, timer };
    timer.fireSeqs.forEach((seq, i) => {
      if (seq > endSeq && (timer.clearSeq === null || seq < timer.clearSeq)) out.push({ what: 'fire', seq, t: timer.fireTs[i], task: timer.resource ?? timer.fireTasks[i], ...base });
    });
    const pending = timer.clearSeq === null && (timer.api === 'setInterval' || timer.fireSeqs.length === 0);
    if (pending) out.push({ what: 'pending', seq: ctx.lastSeq, t: ctx.lastT, task, ...base });
  }
  for (const x of ctx.world.outboundByScope.get(scope) ?? []) {
    const base = { task: x.task, label: exchangeLabel(x), site: x.site, exchange: x };
    if (x.seq > endSeq) out.push({ what: 'call', seq: x.seq, t: x.t, ...base });
    else {
      // An error or abort after the end is the program giving up the call: not work going on.
      const done = x.response ?? x.error ?? x.abort;
      if (!done) out.push({ what: 'answer', seq: ctx.lastSeq, t: ctx.lastT, ...base });
      else if (done === x.response && done.seq > endSeq) out.push({ what: 'answer', seq: done.seq, t: done.t, ...base });
    }
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** `2 timer fires, 1 outbound call (POST http://…/audit)`. */
export function describeActivity(activities: readonly Activity[]): string {
  const fires = activities.filter((a) => a.what === 'fire').length;
  const calls = activities.filter((a) => a.what === 'call');
  const pending = activities.filter((a) => a.what === 'pending').length;
  const answers = activities.filter((a) => a.what === 'answer').length;
  const parts: string[] = [];
  if (calls.length) parts.push(`${plural(calls.length, 'outbound call')} (${[...new Set(calls.map((c) => c.label))].slice(0, 2).join(', ')})`);
  if (fires) parts.push(plural(fires, 'timer fire'));
  if (answers) parts.push(plural(answers, 'late upstream answer'));
  if (pending) parts.push(`${plural(pending, 'timer')} still pending at the end`);
  return parts.join(', ');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
