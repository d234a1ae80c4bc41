import { deliveryEvents } from '@looptape/replayer';
import { EVENT_KINDS, isHookKind, type EventKind, type RecordingReader } from '@looptape/recording';

const RICH_KINDS = EVENT_KINDS.filter((k) => !isHookKind(k)) as EventKind[];

/**
 * The seqs of the deliveries `explore` moved from their recorded place, in a recording it
 * found: as the recording says (`found.movedSeqs`), or, for one found before it said so, its
 * schedule built the way replay builds it, each delivery at the event it came from. Empty for
 * any other recording.
 */
export function movedSeqs(reader: RecordingReader): Set<number> {
  const found = reader.meta.found;
  if (!found?.moved.length) return new Set();
  if (found.movedSeqs) return new Set(found.movedSeqs);
  const at = deliveryEvents([...reader.events({ kinds: RICH_KINDS })]);
  return new Set(found.moved.map((id) => at.get(id)).filter((seq) => seq !== undefined));
}
