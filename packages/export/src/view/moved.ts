import { deliveryId, recordedSchedule, type Delivery } from '@looptape/replayer';
import type { LoopEvent, RecordingReader } from '@looptape/recording';

const SCHEDULE_KINDS = ['timer.set', 'timer.fire', 'http.request', 'http.response', 'http.body', 'http.error', 'http.abort', 'process.signal'] as const;

const EVENT_OF: Record<Delivery['kind'], LoopEvent['kind']> = {
  timer: 'timer.fire', response: 'http.response', body: 'http.body', error: 'http.error', request: 'http.request', abort: 'http.abort', signal: 'process.signal',
};

/**
 * The seqs of the deliveries `explore` moved from their recorded place, in a recording it
 * found: its schedule is built the way replay builds it, and each delivery is matched to the
 * event it came from (same kind and time, in order). Empty for any other recording.
 */
export function movedSeqs(reader: RecordingReader): Set<number> {
  const moved = new Set(reader.meta.found?.moved ?? []);
  const seqs = new Set<number>();
  if (moved.size === 0) return seqs;
  const events = [...reader.events({ kinds: [...SCHEDULE_KINDS] })];
  const { deliveries } = recordedSchedule(events);
  let next = 0;
  for (const e of events) {
    const d = deliveries[next];
    if (!d || EVENT_OF[d.kind] !== e.kind || d.t !== e.t) continue;
    next++;
    if (moved.has(deliveryId(d))) seqs.add(e.seq);
  }
  return seqs;
}
