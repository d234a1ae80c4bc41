import { activityAfter, describeActivity, type Activity } from './activity.js';
import { duration, finding, ms, type Context } from './context.js';
import type { Finding } from '../findings.js';
import type { PromiseIndex } from '../model/promises.js';
import { requestEnd, type Exchange, type TimerInfo } from '../model/world.js';

const MAX_HOPS = 256;

/** What rogue loops took: their timers, and the tasks their fires ran in. */
export interface Claimed {
  timers: ReadonlySet<TimerInfo>;
  tasks: ReadonlySet<number>;
}

interface RequestEnd {
  seq: number;
  t: number;
  how: 'answered' | 'client-left';
}

/**
 * orphaned-task and (request-scoped) floating-promise. For each request that ended, the work
 * of its scope that went on afterwards (timer fires, pending timers, outbound calls, late
 * answers) is grouped by the task that started it before the end: work that descends from one
 * handler step is one finding. A group is
 * - a floating promise when that step made an async call whose promise nobody observes and
 *   that settled after the end (not the handler's own promise, not a terminal `.catch()`);
 * - tracked (no finding) when someone started awaiting a promise of that step only after the
 *   request ended, or from another request — shutdown code's `Promise.all(running)`, say;
 *   and so is work started at the same place in the program as work tracked that way (a
 *   background job tracked in a set is awaited at shutdown only if it is still running then);
 * - an orphaned task otherwise.
 * `claimed`: the timers and tasks of rogue loops, reported on their own; `failed`: tasks
 * already reported as uncaught errors or unhandled rejections.
 */
export function detectOrphans(ctx: Context, promises: PromiseIndex | null, claimed: Claimed, failed: ReadonlySet<number>): Finding[] {
  const findings: Finding[] = [];
  const orphans: Array<{ finding: Finding; site: string | undefined }> = [];
  const trackedSites = new Set<string>();
  for (const x of ctx.world.inbound) {
    const end = requestEnd(x);
    if (!end) continue;
    const groups = new Map<number, Activity[]>();
    for (const a of activityAfter(ctx, x.id, end.seq, claimed.timers)) {
      const key = groupKey(ctx, a.task, x.id, end.seq, claimed.tasks);
      if (key === null) continue;
      const list = groups.get(key);
      if (list) list.push(a);
      else groups.set(key, [a]);
    }
    for (const [creator, activities] of groups) {
      if (failed.has(activities[0].task) || shutdownWork(ctx, activities) || windingDown(end, activities)) continue;
      const verdict = judge(ctx, promises, x, end, creator, activities, failed);
      const site = activities.find((a) => a.site)?.site ?? undefined;
      if (verdict === 'tracked') {
        if (site) trackedSites.add(site);
      } else if (verdict?.kind === 'orphaned-task') orphans.push({ finding: verdict, site });
      else if (verdict) findings.push(verdict);
    }
  }
  for (const { finding, site } of orphans) if (!site || !trackedSites.has(site)) findings.push(finding);
  return findings;
}

/** The task that created the pre-end ancestor of `task` within the scope (or `task` itself outside it). */
function groupKey(ctx: Context, task: number, scope: number, endSeq: number, claimedTasks: ReadonlySet<number>): number | null {
  const tasks = ctx.tasks;
  let row = tasks?.row(task) ?? -1;
  if (!tasks || row < 0 || tasks.scope.get(row) !== scope) return claimedTasks.has(task) ? null : task;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    if (claimedTasks.has(tasks.ids.get(row))) return null;
    if (tasks.initSeq.get(row) < endSeq) break;
    const parent = tasks.creator(row);
    if (parent < 0 || tasks.scope.get(parent) !== scope) break;
    row = parent;
  }
  return tasks.exec.get(row);
}

/**
 * Work that ends the process is shutdown work, not work of the request whose handler started it:
 * a timer whose fire called process.exit, or timers set after the last request ended (a grace
 * period before closing) that call no service.
 */
function shutdownWork(ctx: Context, activities: Activity[]): boolean {
  const exit = ctx.world.exit;
  if (exit && activities.some((a) => a.timer && (a.timer.resource === exit.task || a.timer.fireTasks.includes(exit.task)))) return true;
  const lastEnd = lastRequestEnd(ctx);
  return activities.every((a) => a.timer !== undefined && a.timer.setSeq > lastEnd);
}

/** The seq at which the last inbound request ended (0 when one never did). */
function lastRequestEnd(ctx: Context): number {
  let last = 0;
  for (const x of ctx.world.inbound) {
    const end = requestEnd(x);
    if (!end) return Number.MAX_SAFE_INTEGER;
    last = Math.max(last, end.seq);
  }
  return last;
}

/**
 * When the client goes away, a step already under way finishes (a call already made answers, a
 * back-off timer fires) before the program can notice; if it then stops — no new call, nothing
 * left pending — the program did stop the request's work.
 */
function windingDown(end: RequestEnd, activities: Activity[]): boolean {
  return end.how === 'client-left' && activities.every((a) => a.what === 'fire' || (a.what === 'answer' && a.exchange?.response));
}

function judge(ctx: Context, promises: PromiseIndex | null, x: Exchange, end: RequestEnd, creator: number, activities: Activity[], rejected: ReadonlySet<number>): Finding | 'tracked' | null {
  const tasks = ctx.tasks;
  const rows = (promises?.byCreator.get(creator) ?? []).filter((r) => tasks!.scope.get(r) === x.id && tasks!.initSeq.get(r) < end.seq);
  const floating = rows.find((r) => {
    const settled = tasks!.resolveSeq.get(r);
    return promises!.unobserved(r) && (settled === 0 || settled > end.seq) && !promises!.isCallbackResult(r);
  });
  if (floating !== undefined) {
    return rejected.has(tasks!.ids.get(floating)) ? null : floatingFinding(ctx, x, end, floating, activities);
  }
  const first = activities[0];
  const tracked = rows.some((r) => promises!.lastObserved[r] > end.seq && (tasks!.resolveSeq.get(r) === 0 || tasks!.resolveSeq.get(r) >= first.seq));
  return tracked ? 'tracked' : orphanFinding(ctx, x, end, activities);
}

function after(ctx: Context, x: Exchange, end: RequestEnd): string {
  const label = ctx.names.requestLabel(x.id);
  return end.how === 'answered' ? `${label} was answered` : `the client of ${label} went away`;
}

function orphanFinding(ctx: Context, x: Exchange, end: RequestEnd, activities: Activity[]): Finding {
  const first = activities[0];
  const done = activities.filter((a) => a.what !== 'pending');
  const ranOn = done.length ? done[done.length - 1].t - end.t : 0;
  const verb = { fire: 'fired', call: 'was called', answer: 'answered', pending: 'was still pending at the end,' }[first.what];
  const rest = activities.length > 1 ? `; in all: ${describeActivity(activities)}` : '';
  const leaf = first.what === 'call' || first.what === 'answer' || !ctx.world.timerByResource.has(first.task) ? first.label : undefined;
  return finding('orphaned-task', 'warning', {
    message: `${first.label} ${verb} ${duration(first.t - end.t)} after ${after(ctx, x, end)}${rest}`,
    task: first.task,
    taskPath: ctx.names.taskPath(first.task, x.id, leaf),
    request: x.id,
    requestLabel: ctx.names.requestLabel(x.id),
    location: activities.find((a) => a.site)?.site ?? ctx.names.location(first.task),
    seq: first.seq,
    evidence: {
      requestEnded: end.how, requestEndT: ms(end.t), ranOnMs: ms(ranOn),
      activity: activities.slice(0, 10).map((a) => ({ what: a.what, label: a.label, afterMs: ms(a.t - end.t), seq: a.seq, site: a.site })),
      more: Math.max(0, activities.length - 10),
    },
    reason: {
      rule: 'orphaned-task/work-after-response',
      why: `work this request started before it ended (seq ${end.seq}) went on after it (seq ${activities.slice(0, 5).map((a) => a.seq).join(', ')}): nobody awaited it later, it does not end the process, and it is not the last step winding down after the client left`,
      evidence: [x.seq, end.seq, ...activities.slice(0, 10).map((a) => a.seq)],
      fine: 'finish it before answering, cancel it when the request ends (clearTimeout, an AbortController aborted on the response\'s close), or track it and await it at shutdown',
    },
  });
}

function floatingFinding(ctx: Context, x: Exchange, end: RequestEnd, row: number, activities: Activity[]): Finding {
  const tasks = ctx.tasks!;
  const id = tasks.ids.get(row);
  const settled = tasks.resolveSeq.get(row) !== 0;
  const when = settled ? `settled ${duration(tasks.resolveT.get(row) - end.t)} after` : 'was still pending at the end, long after';
  return finding('floating-promise', 'warning', {
    message: `async call never awaited: its promise ${when} ${after(ctx, x, end)} (${describeActivity(activities)})`,
    task: id,
    taskPath: ctx.names.taskPath(id, x.id),
    request: x.id,
    requestLabel: ctx.names.requestLabel(x.id),
    location: ctx.names.callSite(id) ?? ctx.names.location(id) ?? activities.find((a) => a.site)?.site ?? null,
    seq: settled ? tasks.resolveSeq.get(row) : activities[0].seq,
    evidence: {
      settled, settledAfterMs: settled ? ms(tasks.resolveT.get(row) - end.t) : null, requestEnded: end.how,
      activity: activities.slice(0, 10).map((a) => ({ what: a.what, label: a.label, afterMs: ms(a.t - end.t), seq: a.seq, site: a.site })),
    },
    reason: {
      rule: 'floating-promise/unawaited-call',
      why: `the async call's promise (created at seq ${tasks.initSeq.get(row)}, before the request ended at seq ${end.seq}) was observed by nobody — no await, then, catch, finally or combinator — and ${settled ? `settled only after the request ended (seq ${tasks.resolveSeq.get(row)})` : 'was still pending at the end'}`,
      evidence: [tasks.initSeq.get(row), end.seq, ...(settled ? [tasks.resolveSeq.get(row)] : []), ...activities.slice(0, 5).map((a) => a.seq)],
      fine: 'awaited by nobody: an await (or a .catch that handles its failure) on this call would settle it before the response',
    },
  });
}
