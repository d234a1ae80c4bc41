import { EVENT_KINDS, isHookKind, type EventKind, type LoopEvent } from '@looptape/recording';
import type { EventSource } from './event-pages.js';

/** The kinds stored as rows (not in the hook stream): cheap to filter by kind in SQLite. */
export const ROW_KINDS: readonly EventKind[] = EVENT_KINDS.filter((k) => !isHookKind(k));

export const DELIVERY_KINDS: readonly EventKind[] = ['timer.fire', 'http.abort', 'process.signal', 'http.request', 'http.response', 'http.error', 'http.body'];

export const ERROR_KINDS: readonly EventKind[] = ['error.uncaught', 'error.unhandled-rejection', 'http.error', 'http.response'];

export interface SeekOptions {
  /** Search starts after (dir 1) or before (dir -1) this seq. */
  from: number;
  dir: 1 | -1;
  kinds: readonly EventKind[];
  match?: (e: LoopEvent) => boolean;
  /** Only events of this task (filtered by the reader, cheaply). */
  task?: number;
  lastSeq: number;
  /** Seqs read by the first query; each next query reads four times more. */
  firstWindow?: number;
}

/**
 * The nearest event of the given kinds after or before a seq, read in growing seq
 * windows so that a near hit costs one small query and a far one a few larger ones.
 */
export function seek(source: EventSource, options: SeekOptions): LoopEvent | undefined {
  const { from, dir, kinds, match = () => true, lastSeq, task } = options;
  let size = options.firstWindow ?? 4096;
  let lo = dir > 0 ? from + 1 : from - size;
  let hi = dir > 0 ? from + size : from - 1;
  while (dir > 0 ? lo <= lastSeq : hi >= 0) {
    // Read each window to its end (see EventPages): take the first or last match afterwards.
    const hits = [...source.events({ kinds, task, fromSeq: Math.max(lo, 0), toSeq: Math.min(hi, lastSeq) })].filter(match);
    if (hits.length > 0) return dir > 0 ? hits[0] : hits[hits.length - 1];
    size *= 4;
    if (dir > 0) [lo, hi] = [hi + 1, hi + size];
    else [lo, hi] = [lo - size, lo - 1];
  }
  return undefined;
}

/** What "jump to the next error" stops at: errors, failed exchanges, 5xx responses. */
export function isError(e: LoopEvent): boolean {
  if (e.kind === 'http.response') return e.status >= 500;
  return e.kind === 'error.uncaught' || e.kind === 'error.unhandled-rejection' || e.kind === 'http.error';
}
