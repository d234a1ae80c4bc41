import { analyze, exchangeLabel, Namer, readTaskTable, readWorld, timerLabel, type Finding, type MissingFinding, type AnalysisTasks, type TimerInfo, type World } from '@looptape/analysis';
import { isDelivery, siteOf, type EventKind, type LoopEvent, type RecordingReader, type ScopeSummary } from '@looptape/recording';

/**
 * What every picture of a recording draws: its request scopes, its task tree (as the
 * analyser's columns), its deliveries and its findings, with the names `report` gives them.
 * Built from one read of the hook stream and one of the other events; no event is kept.
 */
export interface Timeline {
  reader: RecordingReader;
  world: World;
  /** Null when the recording has no task hooks (a lean recording whose tree could not be derived). */
  tasks: AnalysisTasks | null;
  names: Namer;
  timers: Map<number, TimerInfo>;
  scopes: ScopeSummary[];
  findings: Finding[];
  /** The finding kinds this recording cannot (fully) answer for, as `report` says. */
  missing: MissingFinding[];
  /** The last moment of the recording (ms since it started). */
  endT: number;
}

/** The kinds a delivery can be (see isDelivery): what to read to find them. */
export const DELIVERY_KINDS: EventKind[] = ['timer.fire', 'http.request', 'http.response', 'http.body', 'http.error', 'http.abort', 'process.signal'];

/** Reads what the pictures draw from an open recording (which stays open: the exports stream from it). */
export function readTimeline(reader: RecordingReader): Timeline {
  const world = readWorld(reader);
  const tasks = readTaskTable(reader);
  const { findings, missing } = analyze(reader, {}, { world, tasks });
  const endT = Math.max(world.lastT, tasks?.lastT ?? 0, reader.meta.durationMs ?? 0);
  const timers = new Map(world.timers.map((timer) => [timer.id, timer]));
  return { reader, world, tasks, names: new Namer(world, tasks), timers, scopes: reader.scopes(), findings, missing, endT };
}

/** The deliveries in recorded order, streamed from the recording. */
export function* deliveries(timeline: Timeline): Generator<LoopEvent> {
  for (const e of timeline.reader.events({ kinds: DELIVERY_KINDS })) if (isDelivery(e)) yield e;
}

/** `PROMISE 426`, `setTimeout 150ms 427`: a task as inspect shows it, by its row in the task table. */
export function taskName(timeline: Timeline, row: number): string {
  const id = timeline.tasks!.ids.get(row);
  return `${timeline.names.taskLabel(id)} ${id}`;
}

/** When a task was over: its last callback or its resolution, whichever came last; null when neither came. */
export function taskEndT(tasks: AnalysisTasks, row: number): number | null {
  const after = tasks.lastAfterSeq.get(row) ? tasks.lastAfterT.get(row) : -1;
  const resolved = tasks.resolveSeq.get(row) ? tasks.resolveT.get(row) : -1;
  const end = Math.max(after, resolved);
  return end < 0 ? null : Math.max(end, tasks.initT.get(row));
}

/** The row of the task that triggered this one (its parent in the trigger tree), or -1. */
export function triggerRow(tasks: AnalysisTasks, row: number): number {
  const trigger = tasks.trigger.get(row);
  return trigger === tasks.ids.get(row) ? -1 : tasks.row(trigger);
}

/** `GET http://…/stock answered 200`, `timer setTimeout 150ms fired`: a delivery in a few words. */
export function deliveryLabel(timeline: Timeline, e: LoopEvent): string {
  const x = 'exchange' in e ? timeline.world.exchanges.get(e.exchange) : undefined;
  const what = x ? exchangeLabel(x) : 'exchange' in e ? `exchange #${e.exchange}` : '';
  switch (e.kind) {
    case 'timer.fire': {
      const timer = timeline.timers.get(e.timer);
      return `${timer ? timerLabel(timer) : `timer ${e.timer}`} fires`;
    }
    case 'http.request': return `${what} arrives`;
    case 'http.response': return `${what} answered ${e.status}`;
    case 'http.body': return e.end ? `${what}: body ends` : `${what}: body part`;
    case 'http.error': return `${what} failed: ${e.message}`;
    case 'http.abort': return `${what}: client went away`;
    case 'process.signal': return `${e.signal} arrives`;
    default: return e.kind;
  }
}

/** The request a task path or a delivery belongs to, as the timeline's tracks are keyed: 0 for outside any request. */
export function trackOf(scope: number | null): number {
  return scope ?? 0;
}

/** Each request scope is a process in the trace (a track in Perfetto and chrome://tracing); work outside any request is pid 1. */
export function pidOf(track: number): number {
  return track + 1;
}

/** The time of the event at `seq` (a finding's), read from the recording. */
export function timeOfSeq(timeline: Timeline, seq: number): number {
  for (const e of timeline.reader.events({ fromSeq: seq, toSeq: seq })) return e.t;
  return timeline.endT;
}

/** Where the program set the timer, or made the call, that this delivery answers (file:line:col), or null. */
export function deliverySite(timeline: Timeline, e: LoopEvent): string | null {
  const site = e.kind === 'timer.fire' ? timeline.timers.get(e.timer)?.site : 'exchange' in e ? timeline.world.exchanges.get(e.exchange)?.site : undefined;
  return site ? siteOf(site) : null;
}
