import { finding, type Context } from './context.js';
import type { Finding } from '../findings.js';
import type { Exchange } from '../model/world.js';

/**
 * unbounded-fanout: one request with more than `fanout` outbound calls from one site in flight
 * at once (a `Promise.all` over a list): the upstream takes the whole list at the same moment.
 * Work outside requests is grouped the same way, as `main`.
 */
export function detectFanout(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  const byScope = new Map<number | null, Exchange[]>();
  for (const x of ctx.world.outbound) byScope.set(x.scope, [...(byScope.get(x.scope) ?? []), x]);
  for (const [scope, calls] of byScope) {
    const bySite = new Map<string, Exchange[]>();
    for (const x of calls) bySite.set(x.site ?? '?', [...(bySite.get(x.site ?? '?') ?? []), x]);
    for (const [site, group] of bySite) {
      const peak = peakInFlight(ctx, group);
      if (peak.count > ctx.options.fanout) findings.push(toFinding(ctx, scope, site === '?' ? null : site, group, peak));
    }
  }
  return findings;
}

interface Peak {
  count: number;
  seq: number;
  calls: Exchange[];
}

/** The most calls of `group` in flight at one moment (from request to response, error or abort). */
function peakInFlight(ctx: Context, group: Exchange[]): Peak {
  const marks: Array<[number, 1 | -1, Exchange]> = [];
  for (const x of group) {
    const done = x.response ?? x.error ?? x.abort;
    marks.push([x.seq, 1, x], [done?.seq ?? ctx.lastSeq + 1, -1, x]);
  }
  marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const open = new Set<Exchange>();
  let best: Peak = { count: 0, seq: 0, calls: [] };
  for (const [seq, step, x] of marks) {
    if (step === 1) open.add(x);
    else open.delete(x);
    if (open.size > best.count) best = { count: open.size, seq, calls: [...open] };
  }
  return best;
}

function toFinding(ctx: Context, scope: number | null, site: string | null, group: Exchange[], peak: Peak): Finding {
  const hosts = [...new Set(peak.calls.map((x) => x.url.replace(/^([a-z]+:\/\/[^/]+).*$/i, '$1')))];
  const label = ctx.names.requestLabel(scope);
  return finding('unbounded-fanout', 'warning', {
    message: `${peak.count} outbound calls from one site in flight at once${label ? ` for ${label}` : ''} (to ${hosts.slice(0, 2).join(', ')}); ${group.length} in all`,
    task: peak.calls[0].task,
    taskPath: ctx.names.taskPath(peak.calls[0].task, scope, `${peak.count} × ${peak.calls[0].method}`),
    request: scope,
    requestLabel: label,
    location: site,
    seq: peak.seq,
    evidence: { inFlight: peak.count, calls: group.length, limit: ctx.options.fanout, hosts },
    reason: {
      rule: 'unbounded-fanout/one-site',
      why: `${peak.count} calls made at ${site ?? 'one site'} were waiting for their answers at the same time (seq ${peak.seq}), more than --fanout ${ctx.options.fanout}: the number grows with the input, not with what the upstream can take`,
      evidence: [...(scope !== null ? [scope === null ? 0 : ctx.world.exchanges.get(scope)!.seq] : []), ...peak.calls.slice(0, 5).map((x) => x.seq), peak.seq],
      fine: `bounded concurrency: a pool of at most a few calls at a time (p-limit, or batches of ${Math.min(ctx.options.fanout, 8)} awaited in turn)`,
    },
  });
}
