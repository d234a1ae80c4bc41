import zlib from 'node:zlib';

/**
 * Checksums a recording carries from format 2 on: CRC-32 (zlib's, native in Node 20.15 and
 * later: a 2 MB hook chunk in about 0.6 ms), kept as a signed 32-bit integer. A flipped bit in a
 * data page otherwise reads back as another, valid-looking value (a seq of 67420 instead of
 * 1884); with these, a reader notices and says what is damaged.
 *
 * - every `events` row: its columns and its `data`;
 * - every `hook_chunks` row: its seq range, count and bytes;
 * - every `flushes` row lists how many rows of each table one write added, and a checksum of
 *   their seqs: a row that vanished (or appeared) is noticed by a reader that reads them all;
 * - every `meta` and `async_types` row; the summary tables as a whole (`summary` key `checks`).
 */

/** CRC-32 of a string (as UTF-8) or bytes, continuing from `from`; signed, as stored. */
function crc(data: string | Uint8Array, from = 0): number {
  return zlib.crc32(data, from >>> 0) | 0;
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
  return crc(data, crc(`${firstSeq}\t${lastSeq}\t${count}\t${grp}`));
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
