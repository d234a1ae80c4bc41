import type { Finding } from '@looptape/analysis';
import { deliveries, deliveryLabel, taskEndT, taskName, timeOfSeq, trackOf, type Timeline } from '../timeline.js';
import { movedSeqs } from './moved.js';

/** Tasks kept per request in the page; the rest are counted (inspect shows them all). */
export const MAX_TASKS_PER_LANE = 2000;

/** One swimlane: a request scope, or (id 0) the work outside any request. */
export interface Lane {
  id: number;
  label: string;
  /** `200`, `aborted`, `open`, or '' for the outside lane. */
  status: string;
  failed: boolean;
  start: number;
  /** Null while open at the end of the recording. */
  end: number | null;
  tasks: number;
}

/** What the page draws first: small, whatever the size of the recording. */
export interface ViewData {
  file: string;
  command: string;
  startTime: string;
  endT: number;
  events: number;
  lanes: Lane[];
  /** [lane, t, seq, label, moved (1) or not (0)] for each delivery, in recorded order. */
  deliveries: Array<[number, number, number, string, number]>;
  findings: Array<Pick<Finding, 'kind' | 'severity' | 'message' | 'taskPath' | 'location' | 'seq'> & { lane: number; t: number }>;
  found: { explanation: string; oracle: string | null; reason: string | null; moved: string[] } | null;
  /** What the page cannot show, and the findings `report` could not check, in a sentence each. */
  missing: string[];
}

/** Each lane's task tree, as columns: read when a lane is opened. `parent` is an index in the same lane's columns, or -1. */
export interface LaneTasks {
  id: number[];
  name: string[];
  parent: number[];
  start: number[];
  /** -1 for a task that never settled. */
  end: number[];
  /** Tasks of the lane left out (past MAX_TASKS_PER_LANE). */
  more: number;
}

/** The page's first-screen data: lanes, deliveries (moved ones marked), findings, and what explore found. */
export function viewData(timeline: Timeline, file: string): ViewData {
  const { reader } = timeline;
  const moved = movedSeqs(reader);
  const found = reader.meta.found;
  return {
    file,
    command: reader.meta.argv.join(' '),
    startTime: reader.meta.startTime,
    endT: timeline.endT,
    events: Object.values(reader.counts()).reduce((a, b) => a + b, 0),
    lanes: lanes(timeline),
    deliveries: [...deliveries(timeline)].map((e) => [trackOf(e.scope), round(e.t), e.seq, deliveryLabel(timeline, e), moved.has(e.seq) ? 1 : 0]),
    findings: timeline.findings.map((f) => ({ kind: f.kind, severity: f.severity, message: f.message, taskPath: f.taskPath, location: f.location, seq: f.seq, lane: trackOf(f.request), t: round(timeOfSeq(timeline, f.seq)) })),
    found: found ? { explanation: found.explanation, oracle: found.oracle ?? null, reason: found.reason ?? null, moved: found.moved } : null,
    missing: [
      ...(timeline.tasks ? [] : ['the recording has no task tree (recorded lean, and replay could not derive one): lanes show requests and deliveries only']),
      ...timeline.missing.map((m) => `${m.kind} ${m.partial ? 'checked in part' : 'not checked'}: ${m.reason}`),
    ],
  };
}

function lanes(timeline: Timeline): Lane[] {
  const counts = new Map<number, number>();
  const tasks = timeline.tasks;
  for (let row = 0; tasks && row < tasks.count; row++) {
    const lane = trackOf(tasks.scope.get(row) || null);
    counts.set(lane, (counts.get(lane) ?? 0) + 1);
  }
  const outside: Lane = { id: 0, label: 'main (outside requests)', status: '', failed: false, start: 0, end: timeline.endT, tasks: counts.get(0) ?? 0 };
  return [
    outside,
    ...timeline.scopes.map((s) => ({
      id: s.exchange,
      label: timeline.names.requestLabel(s.exchange)!,
      status: s.aborted ? 'aborted' : s.status === null ? 'open' : String(s.status),
      failed: s.aborted || (s.status ?? 0) >= 500,
      start: round(s.startT),
      end: s.endT === null ? null : round(s.endT),
      tasks: counts.get(s.exchange) ?? 0,
    })),
  ];
}

/** Every lane's tasks, in creation order, each under its creator when that is in the same lane. */
export function laneTasks(timeline: Timeline): Record<number, LaneTasks> {
  const out: Record<number, LaneTasks> = {};
  const tasks = timeline.tasks;
  if (!tasks) return out;
  const index = new Int32Array(tasks.count).fill(-1);
  for (let row = 0; row < tasks.count; row++) {
    const lane = trackOf(tasks.scope.get(row) || null);
    const cols = (out[lane] ??= { id: [], name: [], parent: [], start: [], end: [], more: 0 });
    if (cols.id.length >= MAX_TASKS_PER_LANE) {
      cols.more++;
      continue;
    }
    const creator = tasks.creator(row);
    index[row] = cols.id.length;
    cols.id.push(tasks.ids.get(row));
    cols.name.push(taskName(timeline, row));
    cols.parent.push(creator >= 0 && tasks.scope.get(creator) === tasks.scope.get(row) ? index[creator] : -1);
    cols.start.push(round(tasks.initT.get(row)));
    cols.end.push(round(taskEndT(tasks, row) ?? -1));
  }
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
