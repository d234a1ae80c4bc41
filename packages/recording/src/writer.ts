import fs from 'node:fs';
import Database from 'better-sqlite3';
import { gzipSync } from 'node:zlib';
import { chunkCrc, fileCrc, GroupCrc, pairCrc, seqsCrc, type GroupRow } from './checksum.js';
import { RecordingError } from './errors.js';
import type { FileStored, LoopEvent } from './events.js';
import type { RecordingMeta } from './meta.js';
import { APPLICATION_ID, FORMAT_VERSION, GROUP_ROWS, MIN_READER_VERSION, SCHEMA } from './schema.js';

export interface RecordingWriterOptions {
  /** Replace an existing file. Without it, an existing file is an error and stays untouched. */
  force?: boolean;
}

export interface HookChunk {
  data: Uint8Array;
  firstSeq: number;
  lastSeq: number;
  count: number;
}

/** A file content the program read or wrote, keyed by the sha256 of its real bytes. */
export interface FileContent {
  hash: string;
  size: number;
  /** `hash`: only the hash is kept (past the size limit); `redacted`: `data` holds placeholders for its secrets. */
  stored: FileStored;
  /** The bytes to keep (not compressed yet); null when only the hash is kept. */
  data: Uint8Array | null;
}

const COMMON = new Set(['seq', 't', 'kind', 'task', 'scope', 'process']);

/** Splits an event into its row: common columns plus the kind's own fields as JSON. */
export function eventData(e: LoopEvent): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) if (!COMMON.has(key)) data[key] = value;
  return JSON.stringify(data);
}

/**
 * One write's events (in seq order) as write groups: at most GROUP_ROWS each, and each event
 * whose seq is below `lastSeq` (taken before an earlier write: a body that was still arriving)
 * in a group of its own. A reader holds rows back until their group is whole, so a group that
 * spanned back to such an event would make it hold everything written since.
 */
function writeGroups(given: readonly LoopEvent[], lastSeq: number): LoopEvent[][] {
  // A group's checksum follows seq order, the order a reader reads rows in.
  const sorted = given.every((e, i) => i === 0 || given[i - 1].seq < e.seq);
  const events = sorted ? given : [...given].sort((a, b) => a.seq - b.seq);
  const late = events.filter((e) => e.seq < lastSeq);
  const onTime = late.length ? events.filter((e) => e.seq >= lastSeq) : events;
  const groups: LoopEvent[][] = [];
  for (let from = 0; from === 0 || from < onTime.length; from += GROUP_ROWS) groups.push(onTime.slice(from, from + GROUP_ROWS));
  for (const e of late) groups.push([e]);
  return groups;
}

/** Appends events to a new recording. All writes of one flush go in one transaction. */
export class RecordingWriter {
  private readonly insertEvent: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly insertType: Database.Statement;
  private readonly insertMeta: Database.Statement;
  private readonly insertFlush: Database.Statement;
  private readonly insertFile: Database.Statement;
  private flushes = 0;
  /** The checksum of the write group being written (one, emptied for each group). */
  private readonly sum = new GroupCrc();
  /** The highest seq of the events written so far. */
  private lastSeq = 0;
  private closed = false;

  private constructor(readonly path: string, private readonly db: Database.Database) {
    this.insertEvent = db.prepare('INSERT INTO events (seq, t, kind, task, scope, process, data, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertChunk = db.prepare('INSERT INTO hook_chunks (first_seq, last_seq, count, data, grp, crc) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertType = db.prepare('INSERT OR REPLACE INTO async_types (code, name, crc) VALUES (?, ?, ?)');
    this.insertMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)');
    this.insertFlush = db.prepare('INSERT INTO flushes (id, events, events_crc, chunks, chunks_crc, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertFile = db.prepare('INSERT OR IGNORE INTO files (hash, size, stored, data, crc) VALUES (?, ?, ?, ?, ?)');
  }

  static create(path: string, options: RecordingWriterOptions = {}): RecordingWriter {
    if (fs.existsSync(path)) {
      if (!options.force) throw new RecordingError('EXISTS', `${path} already exists`, 'pass --force to replace it, or --out to choose another file');
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(path + suffix, { force: true });
    }
    const db = new Database(path);
    // A rollback journal, not WAL: appends then cost one write, not two (WAL writes every page
    // again when it checkpoints). synchronous=OFF survives the program being killed (the OS
    // has the pages); only an OS crash could lose the last writes.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${FORMAT_VERSION}`);
    db.exec(SCHEMA);
    const writer = new RecordingWriter(path, db);
    writer.writeMeta({ formatVersion: FORMAT_VERSION, minReaderVersion: MIN_READER_VERSION, complete: false });
    return writer;
  }

  writeMeta(meta: Partial<RecordingMeta>): void {
    const write = this.db.transaction(() => {
      for (const [key, value] of Object.entries(meta)) if (value !== undefined) writeMetaValue(this.insertMeta, key, value);
    });
    write();
  }

  /**
   * One flush: rich events, hook chunks and newly seen async type names, in one transaction
   * with its `flushes` rows (so a program killed meanwhile leaves all of it or none). The events
   * go in write groups of at most GROUP_ROWS rows, each checked as a whole; the first group
   * also holds the chunks.
   */
  write(events: readonly LoopEvent[], chunks: readonly HookChunk[] = [], types: ReadonlyArray<[number, string]> = [], files: readonly FileContent[] = []): void {
    if (events.length === 0 && chunks.length === 0 && types.length === 0 && files.length === 0) return;
    // Compressed before the transaction (level 1: fast, and file contents compress well anyway).
    const compressed = files.map((f) => ({ ...f, data: f.data && gzipSync(f.data, { level: 1 }) }));
    const write = this.db.transaction(() => {
      for (const [code, name] of types) this.insertType.run(code, name, pairCrc(code, name));
      for (const f of compressed) this.insertFile.run(f.hash, f.size, f.stored, f.data, fileCrc(f.hash, f.size, f.stored, f.data));
      writeGroups(events, this.lastSeq).forEach((group, i) => {
        const grp = ++this.flushes;
        const withChunks = i === 0 ? chunks : [];
        for (const c of withChunks) {
          const data = Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength);
          this.insertChunk.run(c.firstSeq, c.lastSeq, c.count, data, grp, chunkCrc(c.firstSeq, c.lastSeq, c.count, grp, data));
        }
        const sum = this.sum;
        sum.reset();
        for (const e of group) {
          // Each column read once: events come in many shapes, and reading theirs costs.
          const { seq, t, kind, task, scope, process: proc } = e;
          const data = eventData(e);
          sum.addRow(seq, t, kind, task, scope, proc, data);
          this.insertEvent.run(seq, t, kind, task, scope, proc, data, grp);
        }
        this.insertFlush.run(grp, group.length, sum.digest(), withChunks.length, seqsCrc(withChunks.map((c) => c.firstSeq)), group[0]?.seq ?? null, group.at(-1)?.seq ?? null);
      });
    });
    write();
    for (const e of events) if (e.seq > this.lastSeq) this.lastSeq = e.seq;
  }

  /**
   * Replaces text in events already written (a secret learned after it was first written):
   * with secure_delete, the old bytes do not stay behind in free pages.
   */
  rewrite(pairs: ReadonlyArray<[string, string]>): void {
    if (pairs.length === 0) return;
    this.db.pragma('secure_delete = ON');
    // In JavaScript, not with SQL's replace(): each changed group gets its checksum again.
    const find = this.db.prepare('SELECT seq, data, grp FROM events WHERE instr(data, ?) > 0');
    const update = this.db.prepare('UPDATE events SET data = ? WHERE seq = ?');
    const rewrite = this.db.transaction(() => {
      const groups = new Set<number>();
      for (const [from, to] of pairs) {
        for (const row of find.all(from) as Array<{ seq: number; data: string; grp: number }>) {
          update.run(row.data.replaceAll(from, to), row.seq);
          groups.add(row.grp);
        }
      }
      for (const grp of groups) resumGroup(this.db, grp);
    });
    rewrite();
  }

  /**
   * Marks the recording complete and closes it. Summaries and indexes are left to
   * finalizeRecording() (run by `looptape record` once the program has exited), so a program's
   * exit is not held up by them; readers compute summaries themselves when they are missing.
   */
  close(meta: Partial<RecordingMeta> = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.writeMeta({ ...meta, complete: true });
    this.db.close();
  }
}

/** Writes one meta value (as JSON) with its checksum: the one way meta rows are written. */
export function writeMetaValue(insert: Database.Statement, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  insert.run(key, json, pairCrc(key, json));
}

/** Computes a write group's `events` checksum again from its rows (after they changed). */
export function resumGroup(db: Database.Database, grp: number): void {
  const range = db.prepare('SELECT first_seq AS first, last_seq AS last FROM flushes WHERE id = ?').get(grp) as { first: number; last: number };
  const sum = new GroupCrc();
  const rows = db.prepare('SELECT seq, t, kind, task, scope, process, data FROM events WHERE seq >= ? AND seq <= ? AND grp = ? ORDER BY seq').iterate(range.first, range.last, grp);
  for (const row of rows as Iterable<GroupRow>) sum.add(row, row.data);
  db.prepare('UPDATE flushes SET events_crc = ? WHERE id = ?').run(sum.digest(), grp);
}
