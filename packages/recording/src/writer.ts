import fs from 'node:fs';
import Database from 'better-sqlite3';
import { RecordingError } from './errors.js';
import type { LoopEvent } from './events.js';
import type { RecordingMeta } from './meta.js';
import { APPLICATION_ID, FORMAT_VERSION, MIN_READER_VERSION, SCHEMA } from './schema.js';

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

const COMMON = new Set(['seq', 't', 'kind', 'task', 'scope', 'process']);

/** Splits an event into its row: common columns plus the kind's own fields as JSON. */
export function eventData(e: LoopEvent): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) if (!COMMON.has(key)) data[key] = value;
  return JSON.stringify(data);
}

/** Appends events to a new recording. All writes of one flush go in one transaction. */
export class RecordingWriter {
  private readonly insertEvent: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly insertType: Database.Statement;
  private readonly insertMeta: Database.Statement;
  private closed = false;

  private constructor(readonly path: string, private readonly db: Database.Database) {
    this.insertEvent = db.prepare('INSERT INTO events (seq, t, kind, task, scope, process, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertChunk = db.prepare('INSERT INTO hook_chunks (first_seq, last_seq, count, data) VALUES (?, ?, ?, ?)');
    this.insertType = db.prepare('INSERT OR REPLACE INTO async_types (code, name) VALUES (?, ?)');
    this.insertMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
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
      for (const [key, value] of Object.entries(meta)) if (value !== undefined) this.insertMeta.run(key, JSON.stringify(value));
    });
    write();
  }

  /** One flush: rich events, hook chunks and newly seen async type names. */
  write(events: readonly LoopEvent[], chunks: readonly HookChunk[] = [], types: ReadonlyArray<[number, string]> = []): void {
    const write = this.db.transaction(() => {
      for (const [code, name] of types) this.insertType.run(code, name);
      for (const c of chunks) this.insertChunk.run(c.firstSeq, c.lastSeq, c.count, Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength));
      for (const e of events) this.insertEvent.run(e.seq, e.t, e.kind, e.task, e.scope, e.process, eventData(e));
    });
    write();
  }

  /**
   * Replaces text in events already written (a secret learned after it was first written):
   * with secure_delete, the old bytes do not stay behind in free pages.
   */
  rewrite(pairs: ReadonlyArray<[string, string]>): void {
    if (pairs.length === 0) return;
    this.db.pragma('secure_delete = ON');
    const update = this.db.prepare('UPDATE events SET data = replace(data, ?, ?) WHERE instr(data, ?) > 0');
    const rewrite = this.db.transaction(() => {
      for (const [from, to] of pairs) update.run(from, to, from);
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
