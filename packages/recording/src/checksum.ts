import zlib from 'node:zlib';
import { crc32 as simdCrc32 } from '@node-rs/crc32';

/**
 * Checksums a recording carries from format 2 on: CRC-32, kept as a signed 32-bit integer. A
 * flipped bit in a data page otherwise reads back as another, valid-looking value (a seq of
 * 67420 instead of 1884); with these, a reader notices and says what is damaged.
 *
 * - every write group's `events` rows, as one (format 3; format 2 had one per row);
 * - every `hook_chunks` row: its seq range, count and bytes;
 * - every `flushes` row (a write group) lists how many rows of each table it added, and the
 *   checksum of its rows: a row that vanished (or appeared) changes both;
 * - every `meta` and `async_types` row; the summary tables as a whole (`summary` key `checks`).
 *
 * Two implementations of the same CRC-32 (same values): zlib's costs least per call on short
 * strings; @node-rs/crc32's SIMD one is four times faster on megabytes (hook chunks, groups).
 */

/** CRC-32 of a string (as UTF-8) or bytes, continuing from `from`; signed, as stored. */
function crc(data: string | Uint8Array, from = 0): number {
  return zlib.crc32(data, from >>> 0) | 0;
}

/** The same CRC-32 of large bytes. */
function bulkCrc(data: Uint8Array, from = 0): number {
  return simdCrc32(data, from >>> 0) | 0;
}

export interface EventRow {
  seq: number;
  t: number;
  kind: string;
  task: number;
  scope: number | null;
  process: number;
  /** The flush that wrote it (`flushes.id`). */
  grp: number;
  data: string;
}

/** The checksum of one `events` row. */
export function eventCrc(row: EventRow): number {
  return crc(`${row.seq}\t${row.t}\t${row.kind}\t${row.task}\t${row.scope ?? ''}\t${row.process}\t${row.grp}\t${row.data}`);
}

/** The checksum of one hook chunk: its columns, then its bytes. */
export function chunkCrc(firstSeq: number, lastSeq: number, count: number, grp: number, data: Uint8Array): number {
  return bulkCrc(data, crc(`${firstSeq}\t${lastSeq}\t${count}\t${grp}`));
}

/** The checksum of one key/value row (`meta`, `async_types`). */
export function pairCrc(key: string | number, value: string): number {
  return crc(`${key}\t${value}`);
}

/** The checksum of any JSON-serialisable value (the summary tables, as a reader reads them). */
export function valueCrc(value: unknown): number {
  return crc(JSON.stringify(value));
}

/** Running checksum of a list of seqs, in order: which rows one flush wrote. */
export function addSeq(running: number, seq: number): number {
  return crc(`${seq},`, running);
}

/** The checksum of the seqs one flush wrote, in the order a reader reads them (ascending). */
export function seqsCrc(seqs: number[]): number {
  let running = 0;
  for (const seq of seqs.sort((a, b) => a - b)) running = addSeq(running, seq);
  return running;
}

/** The checksum of one `files` row: its hash, size and how it is stored, then its bytes. */
export function fileCrc(hash: string, size: number, stored: string, data: Uint8Array | null): number {
  const head = crc(`${hash}\t${size}\t${stored}`);
  return data ? crc(data, head) : head;
}

/** The columns of an `events` row that a group's checksum covers (`grp` is the group itself). */
export type GroupRow = Omit<EventRow, 'grp'>;

const NUMBERS = 7;
const kindCodes = new Map<string, number>();

function kindCode(kind: string): number {
  let code = kindCodes.get(kind);
  if (code === undefined) kindCodes.set(kind, (code = crc(kind)));
  return code;
}

/** Bytes of UTF-8 a group's texts are gathered in at first (grown as needed, and shrunk back after a large group). */
const TEXT_BYTES = 1 << 16;
const KEEP_TEXT_BYTES = 1 << 22;

/**
 * The checksum of one write group's `events` rows (format 3), in seq order: their numbers as
 * float64s (the kind by its CRC, a NULL scope as NaN, and the length of `data`), then every
 * `data` joined, as UTF-8. Two checksums per group: per row, a string of all its columns cost
 * more than SQLite's insert of it (18–35% of the writer's time on a million events).
 * The texts are written as UTF-8 into one buffer as they come, and both parts go through the
 * SIMD CRC once: holding the strings, joining them and zlib's CRC of the joined string cost
 * about half as much again (the same checksum).
 */
export class GroupCrc {
  private numbers: Float64Array = new Float64Array(NUMBERS * 64);
  private text: Buffer = Buffer.allocUnsafe(TEXT_BYTES);
  private textBytes = 0;
  rows = 0;

  /** Adds a row (its `data` given apart: the writer has it as a string, not in a row). */
  add(row: Omit<GroupRow, 'data'>, data: string): void {
    this.addRow(row.seq, row.t, row.kind, row.task, row.scope, row.process, data);
  }

  /** Adds a row by its columns: a writer that has read them from its event already. */
  addRow(seq: number, t: number, kind: string, task: number, scope: number | null, process: number, data: string): void {
    let at = this.rows * NUMBERS;
    if (at + NUMBERS > this.numbers.length) this.numbers = grown(this.numbers, at + NUMBERS);
    const n = this.numbers;
    n[at++] = seq;
    n[at++] = t + 0; // -0 would read back from SQLite as 0
    n[at++] = kindCode(kind);
    n[at++] = task;
    n[at++] = scope ?? NaN;
    n[at++] = process;
    n[at] = data.length;
    // A UTF-16 unit takes at most 3 bytes of UTF-8; a long string is measured instead.
    const room = this.textBytes + (data.length > 1024 ? Buffer.byteLength(data) : data.length * 3);
    if (room > this.text.length) this.text = grownBytes(this.text, this.textBytes, room);
    this.textBytes += this.text.write(data, this.textBytes);
    this.rows++;
  }

  digest(): number {
    const numbers = new Uint8Array(this.numbers.buffer, 0, this.rows * NUMBERS * 8);
    return bulkCrc(this.text.subarray(0, this.textBytes), bulkCrc(numbers));
  }

  /** Empties it for the next group (a writer keeps one). */
  reset(): void {
    this.rows = 0;
    this.textBytes = 0;
    if (this.text.length > KEEP_TEXT_BYTES) this.text = Buffer.allocUnsafe(TEXT_BYTES);
  }
}

function grown(array: Float64Array, needed: number): Float64Array {
  const next = new Float64Array(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

function grownBytes(bytes: Buffer, used: number, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(needed, bytes.length * 2));
  bytes.copy(next, 0, 0, used);
  return next;
}
