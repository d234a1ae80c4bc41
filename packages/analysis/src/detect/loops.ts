import { endedByItself, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import { timerLabel } from '../model/paths.js';
import { requestEnd, type TimerInfo } from '../model/world.js';

const MAX_HOPS = 256;

/** Timers linked into chains: each one set while the previous one's callback (or its continuation) ran. */
interface Family {
  timers: TimerInfo[];
  fireSeqs: number[];
  fireTs: number[];
}

/**
 * rogue-loop: an interval, or a timeout/immediate chain that re-arms itself, still armed when
 * the recording ended and firing `loopFires` times or more with nothing driving it: after the
 * request that started it ended, or — in a program that serves no requests — with no outside
 * event (response, signal) between its fires. Returns the timers it claims, so no other
 * detector reports them again.
 */
export function detectRogueLoops(ctx: Context): { findings: Finding[]; claimed: Set<TimerInfo> } {
  const claimed = new Set<TimerInfo>();
  const server = ctx.world.listens > 0 || ctx.world.inbound.length > 0;
  // A loop still armed when the program ended by itself was unref'd: background work by design.
  if (endedByItself(ctx.end)) return { findings: [], claimed };
  const loops = new Map<string, Loop[]>();
  for (const family of families(ctx)) {
    const last = family.timers[family.timers.length - 1];
    if (!armed(last)) continue;
    const first = family.timers[0];
    const since = sinceWhen(ctx, first.scope, server, family);
    if (since === null) continue;
    const fires = family.fireSeqs.filter((s) => s > since.seq).length;
    // One cause, one finding: the same loop started by several requests is grouped by its site.
    const key = first.scope === null ? `main ${first.id}` : `site ${first.site ?? last.site ?? first.id}`;
    loops.set(key, [...(loops.get(key) ?? []), { family, since, fires }]);
  }
  const findings: Finding[] = [];
  for (const group of loops.values()) {
    if (!group.some((l) => l.fires >= ctx.options.loopFires)) continue;
    for (const { family } of group) for (const t of family.timers) claimed.add(t);
    findings.push(toFinding(ctx, group));
  }
  return { findings, claimed };
}

interface Loop {
  family: Family;
  since: { seq: number; t: number; why: string };
  fires: number;
}

function armed(timer: TimerInfo): boolean {
  return timer.clearSeq === null && (timer.api === 'setInterval' || timer.fireSeqs.length === 0);
}

/** From which seq on nothing drove the loop, or null when something still did. */
function sinceWhen(ctx: Context, scope: number | null, server: boolean, family: Family): { seq: number; t: number; why: string } | null {
  if (scope !== null) {
    const x = ctx.world.exchanges.get(scope);
    const end = x ? requestEnd(x) : null;
    return end ? { seq: end.seq, t: end.t, why: `after ${ctx.names.requestLabel(scope)} ${end.how === 'answered' ? 'was answered' : 'lost its client'}` } : null;
  }
  if (server) return null; // a server's own periodic job is taken as meant
  const lastFire = family.fireSeqs[family.fireSeqs.length - 1] ?? 0;
  const outside = ctx.world.deliveries.filter((s) => s < lastFire);
  const seq = outside.length ? outside[outside.length - 1] : 0;
  return { seq, t: 0, why: seq ? 'with no outside event since' : 'with nothing else going on' };
}

function toFinding(ctx: Context, group: Loop[]): Finding {
  const { family, since, fires } = group.reduce((a, b) => (b.fires > a.fires ? b : a));
  const first = family.timers[0];
  const last = family.timers[family.timers.length - 1];
  const ts = family.fireTs.filter((_, i) => family.fireSeqs[i] > since.seq);
  const period = median(ts.slice(1).map((t, i) => t - ts[i]));
  const task = last.resource ?? last.task;
  const label = family.timers.length > 1 ? `${timerLabel(last)} chain` : timerLabel(last);
  const requests = group.map((l) => l.family.timers[0].scope).filter((r): r is number => r !== null);
  const startedBy = requests.length > 1 ? `; started by ${requests.map((r) => `#${r}`).join(', ')}` : '';
  const firstFire = family.fireSeqs.find((s) => s > since.seq) ?? last.setSeq;
  return finding('rogue-loop', 'warning', {
    message: `${label} kept firing ${since.why}: ${fires} times, every ${Math.round(period)} ms, still armed at the end${startedBy}`,
    task,
    taskPath: ctx.names.taskPath(task, last.scope),
    request: first.scope,
    requestLabel: ctx.names.requestLabel(first.scope),
    location: last.site ?? first.site,
    seq: firstFire,
    evidence: {
      fires, periodMs: ms(period), firstFireT: ms(ts[0] ?? 0), lastFireT: ms(ts[ts.length - 1] ?? 0), timers: family.timers.length, startedAt: first.site,
      ...(requests.length > 1 ? { startedBy: requests } : {}),
    },
    reason: {
      rule: first.scope === null ? 'rogue-loop/undriven' : 'rogue-loop/outlived-request',
      why: `${label} fired ${fires} times (from seq ${firstFire}) ${since.why}${since.seq ? ` (seq ${since.seq})` : ''}, at least ${ctx.options.loopFires}, and was still armed (not cleared, not unref'd) when the program ${ctx.end.how === 'exit' ? 'was made to exit' : 'stopped'} (seq ${ctx.end.seq})`,
      evidence: [...(since.seq ? [since.seq] : []), first.setSeq, ...family.fireSeqs.filter((s) => s > since.seq).slice(0, 5), ctx.end.seq],
      fine: first.scope === null ? 'stop the loop once its work is done (clearInterval, no re-arm), or unref() it if it is background work' : 'stop the loop when its request ends (clear it in the response\'s close handler, or check an AbortSignal before re-arming)',
    },
  });
}

/** Groups timers into families by which timer's callback set them. */
function families(ctx: Context): Family[] {
  const byFireTask = new Map<number, TimerInfo>();
  for (const timer of ctx.world.timers) {
    if (timer.resource !== null) byFireTask.set(timer.resource, timer);
    for (const task of timer.fireTasks) byFireTask.set(task, timer);
  }
  const root = new Map<TimerInfo, TimerInfo>();
  const out = new Map<TimerInfo, Family>();
  for (const timer of ctx.world.timers) {
    const parent = setBy(ctx, timer.task, byFireTask);
    const top = parent && parent !== timer ? root.get(parent) ?? parent : timer;
    root.set(timer, top);
    let family = out.get(top);
    if (!family) out.set(top, (family = { timers: [], fireSeqs: [], fireTs: [] }));
    family.timers.push(timer);
    family.fireSeqs.push(...timer.fireSeqs);
    family.fireTs.push(...timer.fireTs);
  }
  for (const family of out.values()) sortFires(family);
  return [...out.values()];
}

/** The timer whose callback (or a continuation of it) was running in `task`, if any. */
function setBy(ctx: Context, task: number, byFireTask: Map<number, TimerInfo>): TimerInfo | undefined {
  const tasks = ctx.tasks;
  const start = tasks?.row(task) ?? -1;
  const scope = start >= 0 ? tasks!.scope.get(start) : 0;
  let id = task;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    const timer = byFireTask.get(id);
    if (timer) return timer;
    const row = tasks?.row(id) ?? -1;
    const parent = row >= 0 ? tasks!.creator(row) : -1;
    // A request's tasks descend from the server's: a chain does not cross into another scope.
    if (parent < 0 || tasks!.scope.get(parent) !== scope) return undefined;
    id = tasks!.ids.get(parent);
  }
  return undefined;
}

function sortFires(family: Family): void {
  const order = family.fireSeqs.map((_, i) => i).sort((a, b) => family.fireSeqs[a] - family.fireSeqs[b]);
  family.fireSeqs = order.map((i) => family.fireSeqs[i]);
  family.fireTs = order.map((i) => family.fireTs[i]);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
