import type Database from 'better-sqlite3';
import { addSeq, chunkCrc, eventCrc, pairCrc, valueCrc, type EventRow } from './checksum.js';
import { RecordingError } from './errors.js';

interface FlushRow {
  id: number;
  events: number;
  events_crc: number;
  chunks: number;
  chunks_crc: number;
}

/** What one full scan of a table saw of one flush. */
interface Seen {
  rows: number;
  crc: number;
  first: number;
  last: number;
}

/**
 * Checks what a reader reads against the checksums written with it (checksum.ts), and turns
 * SQLite's own "database disk image is malformed" into the same one line: a damaged file is a
 * fact about the file (exit 2), not a bug in looptape. A format-1 file has no checksums: only
 * SQLite's own errors are caught there.
 */
export class Integrity {
  /** Format 3 on: `events` rows are checked by write group (groups.ts), not one by one. */
  readonly grouped: boolean;

  constructor(readonly path: string, readonly checked: boolean, grouped = checked) {
    this.grouped = checked && grouped;
  }

  /** The error for a damaged part, named as a user can look it up (table, seq range). */
  damaged(what: string, why: string): RecordingError {
    return new RecordingError('DAMAGED', `${this.path} is damaged: ${what} ${why}`, 'looptape verify FILE checks the whole file; the rest of the recording cannot be trusted');
  }

  /** Runs a read, saying which part was being read when SQLite (or the JSON in a row) failed. */
  read<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.translate(error, what);
    }
  }

  translate(error: unknown, what: string): unknown {
    if (error instanceof RecordingError) return error;
    const e = error as Error & { code?: string };
    // SqliteError (any code: a damaged schema page says "malformed schema", not SQLITE_CORRUPT),
    // or a row's JSON that no longer parses (a format-1 file, without checksums).
    if (e?.name === 'SqliteError' || error instanceof SyntaxError) return this.damaged(what, `cannot be read (${oneLine(e.message)})`);
    return error;
  }

  /** Format 2: one `events` row against its own checksum. */
  event(row: EventRow & { crc: number }, previous: number | undefined): void {
    if (this.checked && eventCrc(row) !== row.crc) throw this.damaged(`events row seq ${row.seq}${previous === undefined ? '' : ` (after seq ${previous})`}`, 'fails its checksum');
  }

  chunk(row: { id: number; first_seq: number; last_seq: number; count: number; grp: number; data: Buffer; crc: number }): void {
    if (!this.checked) return;
    const ok = chunkCrc(row.first_seq, row.last_seq, row.count, row.grp, row.data) === row.crc && row.data.byteLength === row.count * 32;
    if (!ok) throw this.damaged(`hook chunk ${row.id} (seq ${row.first_seq}–${row.last_seq})`, 'fails its checksum');
  }

  pair(table: string, key: string | number, value: string, crc: number): void {
    if (this.checked && pairCrc(key, value) !== crc) throw this.damaged(`${table} row '${key}'`, 'fails its checksum');
  }

  summary(table: string, value: unknown, expected: number | undefined): void {
    if (this.checked && valueCrc(value) !== expected) throw this.damaged(`summary table ${table}`, 'fails its checksum');
  }

  /** Counts rows per flush during a full scan; finish() compares with what each flush wrote. */
  tally(db: Database.Database, table: 'events' | 'chunks'): FlushTally {
    return new FlushTally(this, db, table);
  }
}

/** SQLite's messages can span lines (integrity_check's do): a user gets one. */
export function oneLine(text: string): string {
  return text.replace(/\*\*\* in database main \*\*\*/g, '').replace(/\s+/g, ' ').trim();
}

/** Noticing rows that vanished or appeared: only a reader that reads a whole table can. */
export class FlushTally {
  private seen = new Map<number, Seen>();

  constructor(private readonly integrity: Integrity, private readonly db: Database.Database, private readonly table: 'events' | 'chunks') {}

  add(grp: number, seq: number): void {
    if (!this.integrity.checked) return;
    const s = this.seen.get(grp);
    if (s) {
      s.rows++;
      s.crc = addSeq(s.crc, seq);
      s.last = seq;
    } else this.seen.set(grp, { rows: 1, crc: addSeq(0, seq), first: seq, last: seq });
  }

  finish(): void {
    if (!this.integrity.checked) return;
    const name = this.table === 'events' ? 'events' : 'hook chunks';
    const flushes = this.integrity.read('table flushes', () => this.db.prepare('SELECT id, events, events_crc, chunks, chunks_crc FROM flushes').all() as FlushRow[]);
    for (const f of flushes) {
      const rows = this.table === 'events' ? f.events : f.chunks;
      const crc = this.table === 'events' ? f.events_crc : f.chunks_crc;
      const s = this.seen.get(f.id) ?? { rows: 0, crc: 0, first: NaN, last: NaN };
      this.seen.delete(f.id);
      if (s.rows !== rows || (rows > 0 && s.crc !== crc)) {
        const range = s.rows ? ` (seq ${s.first}–${s.last})` : '';
        throw this.integrity.damaged(`${name} of flush ${f.id}${range}`, `hold ${s.rows} rows where ${rows} were written`);
      }
    }
    for (const [grp, s] of this.seen) throw this.integrity.damaged(`${name} seq ${s.first}–${s.last}`, `belong to flush ${grp}, which the file does not list`);
  }
}
