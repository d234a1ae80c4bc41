import { plural } from './activity.js';
import { duration, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { exchangeLabel, timerLabel } from '../model/paths.js';
import { requestEnd, type Exchange } from '../model/world.js';

interface Span {
  label: string;
  from: number;
  to: number;
  site: string | null;
}

/** unanswered-request: an inbound request that got no response, with what its work was still waiting on. */
export function detectUnanswered(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  for (const x of ctx.world.inbound) {
    if (x.response) continue;
    const left = x.abort ?? x.error;
    const until = left ? left.t : ctx.lastT;
    const waiting = waitingOn(ctx, x, left?.seq ?? ctx.lastSeq);
    // The client gave up while the handler still worked on it: a slow answer, not a forgotten one
    // (work that goes on after that is the orphan detector's).
    if (left && waiting.length > 0) continue;
    const label = ctx.names.requestLabel(x.id)!;
    const how = left ? `its client went away after ${duration(until - x.t)}` : `still open ${duration(until - x.t)} later, at the end of the recording`;
    findings.push(finding('unanswered-request', left ? 'warning' : 'error', {
      message: `${label} was never answered: ${how}; ${waiting.length ? `waiting on ${waiting.map((w) => w.label).join(', ')}` : 'nothing of its work was pending'}`,
      task: null,
      taskPath: label,
      request: x.id,
      requestLabel: label,
      location: waiting.find((w) => w.site)?.site ?? null,
      seq: x.seq,
      evidence: { waitedMs: ms(until - x.t), clientLeft: Boolean(left), waitingOn: waiting.map((w) => w.label) },
      reason: {
        rule: left ? 'unanswered-request/forgotten' : 'unanswered-request/open-at-end',
        why: left
          ? `the client went away (seq ${left.seq}) with no response written, and none of the request's work (calls, timers) was pending then: the handler had stopped without answering`
          : `no response was written by the end of the recording (seq ${ctx.lastSeq})`,
        evidence: [x.seq, left?.seq ?? ctx.lastSeq],
        fine: 'answer on every path of the handler (an error status where it gives up)',
      },
    }));
  }
  return findings;
}

/** Outbound calls of the request's scope still unanswered, and its timers still pending, at `seq`. */
function waitingOn(ctx: Context, x: Exchange, seq: number): { label: string; site: string | null }[] {
  const out: { label: string; site: string | null }[] = [];
  for (const call of ctx.world.outboundByScope.get(x.id) ?? []) {
    const done = call.response ?? call.error ?? call.abort;
    if (call.seq < seq && (!done || done.seq > seq)) out.push({ label: exchangeLabel(call), site: call.site });
  }
  for (const timer of ctx.world.timersByScope.get(x.id) ?? []) {
    if (timer.setSeq > seq) continue;
    const fired = timer.fireSeqs.some((s) => s < seq);
    const cleared = timer.clearSeq !== null && timer.clearSeq < seq;
    if (!cleared && (timer.api === 'setInterval' || !fired)) out.push({ label: timerLabel(timer), site: timer.site });
  }
  return out;
}

/**
 * slow-request (info): a request that took `slowMs` or longer, and where its time went:
 * each outbound call and each timer wait of its scope, and the rest (the program's own work
 * and what the recording does not see).
 */
export function detectSlow(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  for (const x of ctx.world.inbound) {
    const end = requestEnd(x);
    if (!end || end.t - x.t < ctx.options.slowMs) continue;
    const spans = spansOf(ctx, x, end.t).sort((a, b) => b.to - b.from - (a.to - a.from));
    const total = end.t - x.t;
    const other = total - covered(spans);
    const top = spans.slice(0, 3).map((s) => `${duration(s.to - s.from)} ${s.label}`);
    const label = ctx.names.requestLabel(x.id)!;
    findings.push(finding('slow-request', 'info', {
      message: `${label} took ${duration(total)}: ${[...top, `${duration(other)} elsewhere`].join(', ')}`,
      task: null,
      taskPath: label,
      request: x.id,
      requestLabel: label,
      location: spans[0]?.site ?? null,
      seq: x.seq,
      evidence: {
        totalMs: ms(total), otherMs: ms(other), status: x.response?.status ?? null,
        waits: spans.map((s) => ({ label: s.label, ms: ms(s.to - s.from), startMs: ms(s.from - x.t), site: s.site })),
        note: spans.length > 3 ? `${plural(spans.length - 3, 'more wait')} in evidence.waits` : undefined,
      },
      reason: {
        rule: 'slow-request/over-threshold',
        why: `from the request (seq ${x.seq}) to its end (seq ${end.seq}) took ${duration(total)}, at least --slow ${ctx.options.slowMs} ms`,
        evidence: [x.seq, end.seq],
      },
    }));
  }
  return findings;
}

function spansOf(ctx: Context, x: Exchange, endT: number): Span[] {
  const spans: Span[] = [];
  for (const call of ctx.world.outboundByScope.get(x.id) ?? []) {
    if (call.t > endT) continue;
    const done = call.response ?? call.error ?? call.abort;
    spans.push({ label: `waiting on ${exchangeLabel(call)}`, from: call.t, to: Math.min(done?.t ?? endT, endT), site: call.site });
  }
  for (const timer of ctx.world.timersByScope.get(x.id) ?? []) {
    if (timer.setT > endT) continue;
    const stopped = timer.fireTs[0] ?? timer.clearT ?? endT;
    spans.push({ label: `in ${timerLabel(timer)}`, from: timer.setT, to: Math.min(stopped, endT), site: timer.site });
  }
  return spans;
}

/** Time covered by the union of the spans. */
function covered(spans: Span[]): number {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  let total = 0;
  let start = 0;
  let stop = -Infinity;
  for (const s of sorted) {
    if (s.from > stop) {
      if (stop > -Infinity) total += stop - start;
      start = s.from;
      stop = s.to;
    } else stop = Math.max(stop, s.to);
  }
  return stop > -Infinity ? total + (stop - start) : 0;
}
