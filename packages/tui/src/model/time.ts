import { isDelivery, type LoopEvent } from '@looptape/recording';
import type { InspectData } from '../data/inspect-data.js';
import { DELIVERY_KINDS, ERROR_KINDS, isError, seek } from '../data/seek.js';
import { scopeIdOf, taskKey, type NodeKey } from '../data/task-index.js';
import type { SeekTarget } from './keys.js';
import { searchMatch } from './search.js';
import type { InspectState } from './state.js';
import { nodeAtEvent, reveal } from './tree.js';

/**
 * Puts the cursor on an event: the detail pane shows that event and the tree selects
 * (and reveals) the task it happened in, the way a debugger shows the current frame.
 */
export function moveTo(state: InspectState, data: InspectData, e: LoopEvent, select?: NodeKey | null): InspectState {
  const node = select ?? nodeAtEvent(data, e);
  return {
    ...state,
    cursor: e.seq,
    subject: 'event',
    detailScroll: 0,
    message: null,
    selected: node ?? state.selected,
    expanded: node ? openScope(reveal(data, state.expanded, node), node) : state.expanded,
    want: null,
  };
}

/** A request the cursor lands in shows its tasks: what is alive in it at that moment. */
function openScope(expanded: ReadonlySet<NodeKey>, node: NodeKey): ReadonlySet<NodeKey> {
  return scopeIdOf(node) === null || expanded.has(node) ? expanded : new Set([...expanded, node]);
}

export function step(state: InspectState, data: InspectData, by: 1 | -1): InspectState {
  const e = by > 0 ? data.pages.next(state.cursor) : data.pages.prev(state.cursor);
  if (!e) return { ...state, message: by > 0 ? 'at the last event' : 'at the first event' };
  return moveTo(state, data, e);
}

export function jump(state: InspectState, data: InspectData, to: 'start' | 'end'): InspectState {
  const e = data.pages.at(to === 'start' ? data.firstSeq : data.lastSeq);
  return e ? moveTo(state, data, e) : { ...state, message: 'the recording has no events' };
}

const NAMES: Record<SeekTarget, string> = { delivery: 'delivery', error: 'error', finding: 'finding', match: 'match' };

/** Moves to the next or previous delivery, error, finding or search match. */
export function seekTo(state: InspectState, data: InspectData, target: SeekTarget, dir: 1 | -1): InspectState {
  if (target === 'finding') return seekFinding(state, data, dir);
  if (target === 'match' && !state.search.query) return { ...state, message: 'no search yet: / starts one' };
  const e = find(state, data, target, dir);
  if (!e) return { ...state, message: notFound(state, target, dir) };
  return moveTo(state, data, e);
}

function find(state: InspectState, data: InspectData, target: SeekTarget, dir: 1 | -1): LoopEvent | undefined {
  const base = { from: state.cursor, dir, lastSeq: data.lastSeq };
  if (target === 'delivery') return seek(data.reader, { ...base, kinds: DELIVERY_KINDS, match: isDelivery });
  if (target === 'error') return seek(data.reader, { ...base, kinds: ERROR_KINDS, match: isError });
  return searchMatch(data, state.search.query!, state.cursor, dir);
}

function seekFinding(state: InspectState, data: InspectData, dir: 1 | -1): InspectState {
  if (state.findings.all.length === 0) {
    const why = state.findingsStatus === 'loading' ? 'findings are still being analysed' : state.findingsStatus === 'failed' ? 'the analysis failed' : 'no findings in this recording';
    return { ...state, message: why };
  }
  const f = state.findings.step(state.cursor, dir);
  if (!f) return { ...state, message: notFound(state, 'finding', dir) };
  const e = data.pages.at(f.seq) ?? data.pages.next(f.seq) ?? data.pages.prev(f.seq);
  if (!e) return state;
  const node = state.findings.place(f);
  const moved = moveTo(state, data, e, node);
  // While the task tree loads, remember the finding's task to select it once it is there.
  const want = !data.tasks.loaded && f.task !== null ? taskKey(f.task) : null;
  return { ...moved, want, subject: node || want ? 'node' : 'event', message: `${f.kind}: ${f.message}` };
}

function notFound(state: InspectState, target: SeekTarget, dir: 1 | -1): string {
  const where = dir > 0 ? 'after' : 'before';
  if (target === 'match') return `no match for "${state.search.query}" ${where} seq ${state.cursor}`;
  return `no ${NAMES[target]} ${where} seq ${state.cursor}`;
}
