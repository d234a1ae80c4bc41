import type Database from 'better-sqlite3';
import { GroupCrc, type GroupRow } from './checksum.js';
import type { Integrity } from './integrity.js';

/** A `flushes` row as format 3 reads it: one write group of `events` rows. */
interface WriteGroup {
  id: number;
  events: number;
  crc: number;
  first: number | null;
  last: number | null;
}

/** An `events` row as stored: its columns and the write group it belongs to. */
export type StoredRow = GroupRow & { grp: number };

/** What a group has shown so far during a read. */
interface Open {
  sum: GroupCrc;
  first: number;
  last: number;
}

/**
 * The write groups of a format-3 recording: each group's `events` rows are checked as a whole
 * (checksum.ts, GroupCrc), so a reader hands a row on only once its whole group has been read
 * and found intact. Groups can interleave in seq order (an event whose seq was taken before an
 * earlier write, such as a body that was still arriving): rows wait, in seq order, for theirs.
 */
export class WriteGroups {
  private readonly byId = new Map<number, WriteGroup>();

  private constructor(private readonly integrity: Integrity, private readonly list: WriteGroup[]) {
    for (const g of list) this.byId.set(g.id, g);
  }

  static read(db: Database.Database, integrity: Integrity): WriteGroups {
    const sql = 'SELECT id, events, events_crc AS crc, first_seq AS first, last_seq AS last FROM flushes ORDER BY id';
    return new WriteGroups(integrity, integrity.read('table flushes', () => db.prepare(sql).all() as WriteGroup[]));
  }

  /**
   * The seq range to read so that every group with a row in [from, to] is read whole, and those
   * groups: widened until no group reaches out of it.
   */
  span(from: number, to: number): { from: number; to: number; ids: Set<number> } {
    const ids = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const g of this.list) {
        if (g.events === 0 || ids.has(g.id) || g.first === null || g.last === null || g.last < from || g.first > to) continue;
        ids.add(g.id);
        if (g.first < from || g.last > to) grew = true;
        from = Math.min(from, g.first);
        to = Math.max(to, g.last);
      }
    }
    return { from, to, ids };
  }

  /**
   * The rows as read (in seq order), each handed on once its group has passed its checksum.
   * `ids`: the groups the read covers whole (undefined: all of them, a whole-table read).
   */
  *checked(rows: Iterable<StoredRow>, ids: ReadonlySet<number> | undefined): Generator<StoredRow> {
    const open = new Map<number, Open>();
    const done = new Set<number>();
    // Emptied sums to use again: each group's would otherwise grow its buffers anew.
    const spare: GroupCrc[] = [];
    let waiting: StoredRow[] = [];
    let head = 0;
    // The group of the row before: rows mostly come a whole group at a time.
    let current: { g: WriteGroup; o: Open } | undefined;
    for (const row of rows) {
      if (current?.g.id !== row.grp) current = this.opening(row, open, done, ids, spare);
      const { g, o } = current;
      o.sum.add(row, row.data);
      o.last = row.seq;
      waiting.push(row);
      if (o.sum.rows === g.events) {
        if (o.sum.digest() !== g.crc) throw this.integrity.damaged(`events of flush ${g.id} (seq ${o.first}–${o.last})`, 'fail their checksum');
        open.delete(g.id);
        done.add(g.id);
        o.sum.reset();
        spare.push(o.sum);
        current = undefined;
        // No group open: every row waiting is in a finished one (the usual case, one group at a time).
        if (open.size === 0) while (head < waiting.length) yield waiting[head++];
        else while (head < waiting.length && done.has(waiting[head].grp)) yield waiting[head++];
        if (head === waiting.length) [waiting, head] = [[], 0];
      }
    }
    for (const [id, o] of open) throw this.short(this.byId.get(id)!, o.sum.rows, `seq ${o.first}–${o.last}`);
    for (const g of this.list) {
      if (g.events > 0 && !done.has(g.id) && (!ids || ids.has(g.id))) throw this.short(g, 0, `seq ${g.first}–${g.last}`);
    }
  }

  /** The group a row belongs to, opened if it is its first row; a row no group can take is damage. */
  private opening(row: StoredRow, open: Map<number, Open>, done: Set<number>, ids: ReadonlySet<number> | undefined, spare: GroupCrc[]): { g: WriteGroup; o: Open } {
    const g = this.byId.get(row.grp);
    if (!g || (ids && !ids.has(g.id)) || done.has(g.id)) throw this.stray(row, g);
    let o = open.get(g.id);
    if (!o) open.set(g.id, (o = { sum: spare.pop() ?? new GroupCrc(), first: row.seq, last: row.seq }));
    return { g, o };
  }

  private short(g: WriteGroup, rows: number, range: string) {
    return this.integrity.damaged(`events of flush ${g.id} (${range})`, `hold ${rows} rows where ${g.events} were written`);
  }

  private stray(row: StoredRow, g: WriteGroup | undefined) {
    const why = g ? `is one more row than flush ${g.id} wrote, or lies outside its seq range` : `belongs to flush ${row.grp}, which the file does not list`;
    return this.integrity.damaged(`events row seq ${row.seq}`, why);
  }
}
