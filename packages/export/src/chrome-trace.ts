import type { LoopEvent } from '@looptape/recording';
import type { Sink } from './sink.js';
import { deliveries, deliveryLabel, deliverySite, pidOf, taskEndT, taskName, timeOfSeq, trackOf, triggerRow, type Timeline } from './timeline.js';

/** One Trace Event Format event (the JSON Object Format's `traceEvents`). */
export interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  cat?: string;
  id?: number;
  s?: 'g' | 'p' | 't';
  bp?: 'e';
  args?: Record<string, unknown>;
}

const us = (t: number) => Math.round(t * 1000);

/**
 * Writes the recording as Trace Event Format JSON: request scopes as processes, each task an
 * async `b`/`e` slice on its scope, each trigger edge a flow (`s`/`f`), deliveries and
 * findings instant events carrying their seq. Streams: tasks come from the analyser's
 * columns, deliveries straight from the recording.
 */
export async function writeChromeTrace(timeline: Timeline, sink: Sink): Promise<void> {
  const { meta } = timeline.reader;
  await sink.write(`{"displayTimeUnit":"ms","otherData":${JSON.stringify({ looptape: meta.looptapeVersion, command: meta.argv.join(' '), startTime: meta.startTime })},"traceEvents":[\n`);
  let first = true;
  const put = async (e: TraceEvent) => {
    await sink.write(`${first ? '' : ',\n'}${JSON.stringify(e)}`);
    first = false;
  };
  for (const e of trackEvents(timeline)) await put(e);
  for (const e of taskEvents(timeline)) await put(e);
  for (const e of deliveries(timeline)) await put(deliveryEvent(timeline, e));
  for (const f of timeline.findings) {
    const pid = pidOf(trackOf(f.request));
    const t = timeOfSeq(timeline, f.seq);
    await put({ ph: 'i', s: 't', cat: 'finding', name: `${f.kind}: ${f.message}`, pid, tid: pid, ts: us(t), args: { seq: f.seq, kind: f.kind, severity: f.severity, finding: f.message, taskPath: f.taskPath, location: f.location } });
  }
  await sink.write('\n]}\n');
}

/** Names and orders the tracks: `main` first, then each request in arrival order. */
function* trackEvents(timeline: Timeline): Generator<TraceEvent> {
  const tracks: Array<[number, string]> = [[0, 'main (outside requests)'], ...timeline.scopes.map((s): [number, string] => [s.exchange, timeline.names.requestLabel(s.exchange)!])];
  for (const [index, [track, name]] of tracks.entries()) {
    const pid = pidOf(track);
    yield { ph: 'M', name: 'process_name', pid, tid: pid, args: { name } };
    yield { ph: 'M', name: 'process_sort_index', pid, tid: pid, args: { sort_index: index } };
    yield { ph: 'M', name: 'thread_name', pid, tid: pid, args: { name: track ? 'deliveries and findings' : 'main' } };
  }
}

function* taskEvents(timeline: Timeline): Generator<TraceEvent> {
  const tasks = timeline.tasks;
  if (!tasks) return;
  for (let row = 0; row < tasks.count; row++) {
    const id = tasks.ids.get(row);
    const pid = pidOf(trackOf(tasks.scope.get(row) || null));
    const name = taskName(timeline, row);
    const end = taskEndT(tasks, row);
    const args = { task: id, type: tasks.type(row), initSeq: tasks.initSeq.get(row), runs: tasks.runs.get(row), settled: end !== null, site: timeline.names.location(id) };
    const init = us(tasks.initT.get(row));
    yield { ph: 'b', cat: 'task', name, id, pid, tid: pid, ts: init, args };
    yield { ph: 'e', cat: 'task', name, id, pid, tid: pid, ts: us(end ?? timeline.endT) };
    const parent = triggerRow(tasks, row);
    if (parent < 0) continue;
    const from = pidOf(trackOf(tasks.scope.get(parent) || null));
    yield { ph: 's', cat: 'trigger', name: 'trigger', id, pid: from, tid: from, ts: init };
    yield { ph: 'f', bp: 'e', cat: 'trigger', name: 'trigger', id, pid, tid: pid, ts: init };
  }
}

function deliveryEvent(timeline: Timeline, e: LoopEvent): TraceEvent {
  const pid = pidOf(trackOf(e.scope));
  return { ph: 'i', s: 't', cat: 'delivery', name: deliveryLabel(timeline, e), pid, tid: pid, ts: us(e.t), args: { seq: e.seq, kind: e.kind, task: e.task, site: deliverySite(timeline, e) } };
}
