import type { RecordingReader } from '@looptape/recording';
import { ROW_KINDS } from './seek.js';

/**
 * Which event of the recording a seq is, counted: seqs have gaps (a seq taken for an event
 * that never came), so the largest seq is not the number of events. Holds the gaps as runs.
 */
export class EventCount {
  /** Each gap's first missing seq, and how many seqs were missing before it ends (cumulative). */
  private constructor(readonly firstSeq: number, readonly total: number, private readonly starts: number[], private readonly missingThrough: number[], private readonly ends: number[]) {}

  /** Counts a recording's events: its rich rows and its hook records, merged by seq. */
  static of(reader: Pick<RecordingReader, 'events' | 'hookChunks'>): EventCount {
    const rich: number[] = [];
    for (const e of reader.events({ kinds: ROW_KINDS })) rich.push(e.seq);
    const starts: number[] = [];
    const ends: number[] = [];
    const through: number[] = [];
    let missing = 0;
    let previous: number | null = null;
    let first = 0;
    let total = 0;
    const see = (seq: number) => {
      if (previous === null) first = seq;
      else if (seq > previous + 1) {
        missing += seq - previous - 1;
        starts.push(previous + 1);
        ends.push(seq - 1);
        through.push(missing);
      }
      previous = seq;
      total++;
    };
    let r = 0;
    for (const view of reader.hookChunks()) {
      for (let i = 0; i < view.count; i++) {
        const seq = view.seq(i);
        while (r < rich.length && rich[r] < seq) see(rich[r++]);
        see(seq);
      }
    }
    while (r < rich.length) see(rich[r++]);
    return new EventCount(first, total, starts, through, ends);
  }

  /** The count as data a worker can post back. */
  toJSON(): { firstSeq: number; total: number; starts: number[]; through: number[]; ends: number[] } {
    return { firstSeq: this.firstSeq, total: this.total, starts: this.starts, through: this.missingThrough, ends: this.ends };
  }

  static fromJSON(j: ReturnType<EventCount['toJSON']>): EventCount {
    return new EventCount(j.firstSeq, j.total, j.starts, j.through, j.ends);
  }

  /** The 1-based number of the event at (or last before) `seq`. */
  numberOf(seq: number): number {
    // The last gap starting at or before seq.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= seq) lo = mid + 1;
      else hi = mid;
    }
    const g = lo - 1;
    if (g < 0) return seq - this.firstSeq + 1;
    // Inside a gap: the event before it.
    const missingBefore = seq <= this.ends[g] ? this.missingThrough[g] - (this.ends[g] - seq) : this.missingThrough[g];
    return seq - this.firstSeq + 1 - missingBefore;
  }
}
