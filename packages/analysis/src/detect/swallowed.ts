import { finding, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { exchangeLabel } from '../model/paths.js';
import { requestEnd, type Exchange } from '../model/world.js';

/**
 * swallowed-error: an outbound call of a request failed (a network error, or a 5xx answer),
 * and the request was answered as a success with nothing observable done about the failure
 * between the two: nothing written to the console, no retry from the same site, no error status.
 * Rejections of the program's own promises are not seen here: the recording does not say
 * which promises rejected, only which calls failed.
 */
export function detectSwallowed(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  for (const x of ctx.world.inbound) {
    const end = requestEnd(x);
    if (!end || end.how !== 'answered' || x.response!.status >= 400) continue;
    for (const call of ctx.world.outboundByScope.get(x.id) ?? []) {
      const failed = failure(call);
      if (!failed || failed.seq > end.seq || handled(ctx, x, call, failed.seq, end.seq)) continue;
      findings.push(toFinding(ctx, x, call, failed, end.seq));
    }
  }
  return findings;
}

function failure(call: Exchange): { seq: number; what: string } | null {
  if (call.error) return { seq: call.error.seq, what: `failed (${call.error.message})` };
  if (call.response && call.response.status >= 500) return { seq: call.response.seq, what: `answered ${call.response.status}` };
  return null;
}

/** Something observable was done about the failure before the answer: output, or a retry. */
function handled(ctx: Context, x: Exchange, call: Exchange, from: number, to: number): boolean {
  const logged = ctx.world.work.some((w) => w.kind === 'console' && w.seq > from && w.seq < to && (w.scope === x.id || w.scope === null));
  const retried = (ctx.world.outboundByScope.get(x.id) ?? []).some((o) => o.seq > from && o.seq < to && o.site === call.site && o.url === call.url);
  return logged || retried;
}

function toFinding(ctx: Context, x: Exchange, call: Exchange, failed: { seq: number; what: string }, endSeq: number): Finding {
  const label = ctx.names.requestLabel(x.id)!;
  return finding('swallowed-error', 'warning', {
    message: `${exchangeLabel(call)} ${failed.what}, yet ${label} was answered ${x.response!.status} with nothing logged or retried`,
    task: call.task,
    taskPath: ctx.names.taskPath(call.task, x.id, exchangeLabel(call)),
    request: x.id,
    requestLabel: label,
    location: call.site,
    seq: failed.seq,
    evidence: { call: exchangeLabel(call), failure: failed.what, status: x.response!.status },
    reason: {
      rule: 'swallowed-error/success-after-failure',
      why: `the call (seq ${call.seq}) ${failed.what} (seq ${failed.seq}); between that and the ${x.response!.status} answer (seq ${endSeq}) the program wrote nothing to the console and made no retry from the same line`,
      evidence: [x.seq, call.seq, failed.seq, endSeq],
      fine: 'log the failure, retry it, or answer with an error status (502) instead of a success; an empty .catch(() => {}) hides it',
    },
  });
}
