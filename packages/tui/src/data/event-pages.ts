import type { EventFilter, LoopEvent } from '@looptape/recording';

/** The part of RecordingReader the TUI pages through (a RecordingReader fits it). */
export interface EventSource {
  events(filter?: EventFilter): Iterable<LoopEvent>;
}

/**
 * Events of a recording in fixed seq ranges ("pages"), loaded on demand and kept in a
 * small LRU cache, so stepping through a million events touches a page or two.
 *
 * Every page is read to its end: leaving RecordingReader.events() early keeps its
 * SQLite statement open, and the reader can then no longer be closed.
 */
export class EventPages {
  private readonly cache = new Map<number, LoopEvent[]>();
  loads = 0;

  constructor(
    private readonly source: EventSource,
    readonly lastSeq: number,
    readonly pageSize = 1024,
    private readonly maxPages = 128,
  ) {}

  /** The events whose seq falls in page `index`, in order. */
  page(index: number): LoopEvent[] {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const from = index * this.pageSize;
    const events = [...this.source.events({ fromSeq: from, toSeq: from + this.pageSize - 1 })];
    this.loads++;
    this.cache.set(index, events);
    if (this.cache.size > this.maxPages) this.cache.delete(this.cache.keys().next().value!);
    return events;
  }

  /** The event with exactly this seq. */
  at(seq: number): LoopEvent | undefined {
    if (seq < 0 || seq > this.lastSeq) return undefined;
    const events = this.page(Math.floor(seq / this.pageSize));
    const i = lowerBound(events, seq);
    return events[i]?.seq === seq ? events[i] : undefined;
  }

  /** The first event after `seq`. */
  next(seq: number): LoopEvent | undefined {
    return this.after(seq, 1)[0];
  }

  /** The last event before `seq`. */
  prev(seq: number): LoopEvent | undefined {
    return this.before(seq, 1)[0];
  }

  /** Up to `n` events with a seq above `seq`, in order. */
  after(seq: number, n: number): LoopEvent[] {
    const out: LoopEvent[] = [];
    for (let p = Math.floor((seq + 1) / this.pageSize); out.length < n && p * this.pageSize <= this.lastSeq; p++) {
      const events = this.page(p);
      for (let i = lowerBound(events, seq + 1); i < events.length && out.length < n; i++) out.push(events[i]);
    }
    return out;
  }

  /** Up to `n` events with a seq below `seq`, in order (the nearest last). */
  before(seq: number, n: number): LoopEvent[] {
    const out: LoopEvent[] = [];
    for (let p = Math.floor(Math.min(seq - 1, this.lastSeq) / this.pageSize); out.length < n && p >= 0; p--) {
      const events = this.page(p);
      for (let i = lowerBound(events, seq) - 1; i >= 0 && out.length < n; i--) out.push(events[i]);
    }
    return out.reverse();
  }
}

/** Index of the first event with a seq >= the given one. */
export function lowerBound(events: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
