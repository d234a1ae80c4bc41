import { TracePacket } from './perfetto-schema.js';
import type { Sink } from './sink.js';
import { deliveries, deliveryLabel, deliverySite, pidOf, taskEndT, taskName, timeOfSeq, trackOf, triggerRow, type Timeline } from './timeline.js';

const SEQUENCE = 1;
const BEGIN = 1;
const END = 2;
const INSTANT = 3;
/** Lanes of a request are tracks under its own: room for this many per request. */
const LANES_PER_TRACK = 1_000_000;
const FLUSH_BYTES = 1 << 16;
const PACKET_TAG = Uint8Array.of(0x0a);

type Annotation = { name: string; stringValue?: string; intValue?: number; boolValue?: boolean };

/**
 * Writes the recording as a Perfetto trace (TrackEvent protobuf): each request scope a
 * process track, its tasks slices on lanes under it (a lane holds tasks that do not
 * overlap, as slices on one track must nest), each trigger edge a flow, deliveries and
 * findings instants. Packets are written as they are made.
 */
export async function writePerfetto(timeline: Timeline, sink: Sink): Promise<void> {
  const out = new PacketWriter(sink);
  for (const track of [0, ...timeline.scopes.map((s) => s.exchange)]) {
    const name = track ? timeline.names.requestLabel(track)! : 'main (outside requests)';
    await out.put({ trackDescriptor: { uuid: trackUuid(track), name, process: { pid: pidOf(track), processName: name } } });
  }
  await writeTasks(timeline, out);
  for (const e of deliveries(timeline)) {
    const site = deliverySite(timeline, e);
    const notes: Annotation[] = [{ name: 'seq', intValue: e.seq }, { name: 'kind', stringValue: e.kind }, ...(site ? [{ name: 'site', stringValue: site }] : [])];
    await out.put(instant(e.t, trackUuid(trackOf(e.scope)), deliveryLabel(timeline, e), 'delivery', notes));
  }
  for (const f of timeline.findings) {
    const notes: Annotation[] = [{ name: 'seq', intValue: f.seq }, { name: 'finding', stringValue: f.message }, { name: 'task_path', stringValue: f.taskPath }, ...(f.location ? [{ name: 'location', stringValue: f.location }] : [])];
    await out.put(instant(timeOfSeq(timeline, f.seq), trackUuid(trackOf(f.request)), `${f.kind}: ${f.message}`, 'finding', notes));
  }
  await out.flush();
}

function trackUuid(track: number, lane = -1): number {
  return (track + 1) * LANES_PER_TRACK + lane + 1;
}

async function writeTasks(timeline: Timeline, out: PacketWriter): Promise<void> {
  const tasks = timeline.tasks;
  if (!tasks) return;
  const children = childrenOf(timeline);
  const lanes = new Map<number, number[]>();
  for (let row = 0; row < tasks.count; row++) {
    const track = trackOf(tasks.scope.get(row) || null);
    const start = tasks.initT.get(row);
    const end = taskEndT(tasks, row) ?? timeline.endT;
    const ends = lanes.get(track) ?? [];
    lanes.set(track, ends);
    let lane = ends.findIndex((busyUntil) => busyUntil < start);
    if (lane < 0) {
      lane = ends.push(end) - 1;
      await out.put({ trackDescriptor: { uuid: trackUuid(track, lane), parentUuid: trackUuid(track), name: `tasks ${lane + 1}` } });
    }
    ends[lane] = end;
    const id = tasks.ids.get(row);
    const uuid = trackUuid(track, lane);
    const notes: Annotation[] = [{ name: 'task', intValue: id }, { name: 'type', stringValue: tasks.type(row) }, { name: 'init_seq', intValue: tasks.initSeq.get(row) }, { name: 'settled', boolValue: taskEndT(tasks, row) !== null }];
    const flows = { flowIds: children(row), terminatingFlowIds: triggerRow(tasks, row) >= 0 ? [id] : [] };
    await out.put({ timestamp: ns(start), trackEvent: { type: BEGIN, trackUuid: uuid, name: taskName(timeline, row), categories: ['task'], debugAnnotations: notes, ...flows } });
    await out.put({ timestamp: ns(end), trackEvent: { type: END, trackUuid: uuid } });
  }
}

/** The ids of the tasks each task triggered: the flows that leave its slice. */
function childrenOf(timeline: Timeline): (row: number) => number[] {
  const tasks = timeline.tasks!;
  const start = new Int32Array(tasks.count + 1);
  const parents = new Int32Array(tasks.count);
  for (let row = 0; row < tasks.count; row++) {
    parents[row] = triggerRow(tasks, row);
    if (parents[row] >= 0) start[parents[row] + 1]++;
  }
  for (let row = 0; row < tasks.count; row++) start[row + 1] += start[row];
  const ids = new Int32Array(start[tasks.count]);
  const fill = start.slice(0, tasks.count);
  for (let row = 0; row < tasks.count; row++) if (parents[row] >= 0) ids[fill[parents[row]]++] = tasks.ids.get(row);
  return (row) => Array.from(ids.subarray(start[row], start[row + 1]));
}

function instant(t: number, trackUuid: number, name: string, category: string, debugAnnotations: Annotation[]) {
  return { timestamp: ns(t), trackEvent: { type: INSTANT, trackUuid, name, categories: [category], debugAnnotations } };
}

const ns = (ms: number) => Math.round(ms * 1e6);

/** Frames packets as the `packet` field (1) of one Trace message, and writes them in blocks. */
class PacketWriter {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly sink: Sink) {}

  async put(packet: Record<string, unknown>): Promise<void> {
    // Field 1, length-delimited (tag 0x0a), then the packet with its length in front.
    const bytes = TracePacket.encodeDelimited(TracePacket.fromObject({ trustedPacketSequenceId: SEQUENCE, ...packet })).finish();
    this.parts.push(PACKET_TAG, bytes);
    this.size += 1 + bytes.length;
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    await this.sink.write(Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}
