import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { fileCrc, type EventRow } from './checksum.js';
import { RecordingError } from './errors.js';
import { recoverInterrupted } from './finalize.js';
import { HOOK_KINDS, RICH_KINDS, isHookKind, type EventKind, type FileStored, type LoopEvent } from './events.js';
import { HookChunkView } from './hook-stream.js';
import { Integrity } from './integrity.js';
import { META_DEFAULTS, type RecordingMeta } from './meta.js';
import { checkFile, migrate } from './open-file.js';
import { hasDerivedTree, isLean, readDerivedTree } from './derived.js';
import { WriteGroups, type StoredRow } from './groups.js';
import { APPLICATION_ID, CHECKSUMS_SINCE, FORMAT_VERSION, GROUP_CHECKSUMS_SINCE } from './schema.js';
import { buildSummaries, readCounts, readScopes, readSummaryChecks, readTasks, type ScopeSummary, type Summaries, type TaskSummary } from './summary.js';

const RICH_KIND_COUNT = RICH_KINDS.length;

interface ChunkRow {
  id: number;
  first_seq: number;
  last_seq: number;
  count: number;
  grp: number;
  data: Buffer;
  crc: number;
}

export interface EventFilter {
  kinds?: readonly EventKind[];
  task?: number;
  /** Inclusive. */
  fromSeq?: number;
  /** Inclusive. */
  toSeq?: number;
}

/** Read-only access to a recording. Opening validates the file and never modifies it. */
export class RecordingReader {
  readonly meta: RecordingMeta;
  private types = new Map<number, string>();
  private summaries: Summaries | undefined;
  private groups: WriteGroups | undefined;

  /** Checks what is read against the file's checksums (none before format 2: `integrity.checked`). */
  readonly integrity: Integrity;

  private constructor(readonly path: string, private readonly db: Database.Database, formatVersion: number) {
    this.integrity = new Integrity(path, formatVersion >= CHECKSUMS_SINCE, formatVersion >= GROUP_CHECKSUMS_SINCE);
    this.meta = this.integrity.read('table meta', () => this.readMeta());
    this.integrity.read('table async_types', () => {
      for (const row of db.prepare('SELECT code, name, crc FROM async_types').all() as { code: number; name: string; crc: number }[]) {
        this.integrity.pair('async_types', row.code, row.name, row.crc);
        this.types.set(row.code, row.name);
      }
    });
  }

  /** Format 1 files carry no checksums: damage in them cannot be told from data. */
  get unchecked(): boolean {
    return !this.integrity.checked;
  }

  /**
   * Opens a recording. With `tree`, a lean recording whose task tree was derived (derived.ts)
   * opens as that derived recording: the recorded events, with the task tree a replay of them made.
   */
  static open(path: string, options: { tree?: boolean } = {}): RecordingReader {
    const reader = RecordingReader.openFile(path);
    if (!options.tree || !reader.isLean) return reader;
    let image: Buffer | undefined;
    try {
      image = reader.integrity.read('table derived_tree', () => readDerivedTree(path, reader.db));
    } catch (error) {
      reader.close();
      throw error;
    }
    if (!image) return reader;
    reader.close();
    return RecordingReader.fromDatabase(path, new Database(image));
  }

  /** Recorded lean: no task tree of its own (see derived.ts). */
  get isLean(): boolean {
    return isLean(this.meta);
  }

  /** A lean recording with a derived tree stored in it. */
  get hasDerivedTree(): boolean {
    return hasDerivedTree(this.db);
  }

  private static openFile(path: string): RecordingReader {
    checkFile(path);
    // Killed in the middle of a write: roll it back (the recording up to its last write stays).
    if (fs.existsSync(`${path}-journal`) && fs.statSync(`${path}-journal`).size > 0) {
      try {
        recoverInterrupted(path);
      } catch {
        // not writable here: the read-only open below says what is wrong
      }
    }
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('schema_version');
    } catch (error) {
      throw new RecordingError('NOT_SQLITE', `${path} cannot be opened as SQLite: ${(error as Error).message}`);
    }
    return RecordingReader.fromDatabase(path, db);
  }

  /** Checks what the open database is (a recording, of a format this reads) and reads it. */
  private static fromDatabase(path: string, db: Database.Database): RecordingReader {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) {
      db.close();
      throw new RecordingError('FOREIGN_FILE', `${path} is a SQLite file but not a looptape recording`);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    let minReader: number;
    try {
      minReader = Number((db.prepare("SELECT value FROM meta WHERE key = 'minReaderVersion'").get() as { value: string } | undefined)?.value ?? version);
    } catch (error) {
      db.close();
      throw new RecordingError('DAMAGED', `${path} is damaged: table meta cannot be read (${(error as Error).message})`, 'looptape verify FILE checks the whole file');
    }
    if (minReader > FORMAT_VERSION) {
      db.close();
      throw new RecordingError('TOO_NEW', `${path} is recording format ${version}, which needs looptape reading format ${minReader} or newer (this one reads up to ${FORMAT_VERSION})`, 'upgrade looptape');
    }
    if (version < FORMAT_VERSION) db = migrate(path, db, version);
    try {
      return new RecordingReader(path, db, version);
    } catch (error) {
      db.close();
      if (error instanceof RecordingError) throw error;
      throw new RecordingError('DAMAGED', `${path} is damaged: ${(error as Error).message}`, 'looptape verify FILE checks the whole file');
    }
  }

  /**
   * The content of a file the program read or wrote, by the hash its fs event names: its bytes
   * (placeholders for secrets when `stored` is `redacted`), or null when only the hash was kept.
   * Undefined when the recording does not have it (made before files were recorded).
   */
  file(hash: string): { stored: FileStored; size: number; data: Buffer | null } | undefined {
    const row = this.integrity.read('table files', () => {
      const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'files'").get();
      return exists ? this.db.prepare('SELECT hash, size, stored, data, crc FROM files WHERE hash = ?').get(hash) : undefined;
    }) as { hash: string; size: number; stored: FileStored; data: Buffer | null; crc: number } | undefined;
    if (!row) return undefined;
    if (this.integrity.checked && fileCrc(row.hash, row.size, row.stored, row.data) !== row.crc) throw this.integrity.damaged(`files row ${hash.slice(0, 12)}`, 'fails its checksum');
    const data = row.data && this.integrity.read(`files row ${hash.slice(0, 12)}`, () => gunzipSync(row.data!));
    return { stored: row.stored, size: row.size, data };
  }

  /** Events in recorded order (`seq`), the hook stream merged with the other kinds. */
  *events(filter: EventFilter = {}): Generator<LoopEvent> {
    const kinds = filter.kinds?.length ? filter.kinds : undefined;
    const wantHooks = !kinds || kinds.some(isHookKind);
    const richKinds = kinds?.filter((k) => !isHookKind(k));
    const wantRich = !kinds || richKinds!.length > 0;
    const rich = wantRich ? this.richEvents(filter, richKinds) : emptyIterator();
    const hooks = wantHooks ? this.hookEvents(filter, kinds) : emptyIterator();
    try {
      let a = rich.next();
      let b = hooks.next();
      while (!a.done || !b.done) {
        if (b.done || (!a.done && a.value.seq < b.value.seq)) {
          yield a.value;
          a = rich.next();
        } else {
          yield b.value;
          b = hooks.next();
        }
      }
    } finally {
      // A caller that stops early must not leave SQLite statements running (close() would fail).
      rich.return?.(undefined);
      hooks.return?.(undefined);
    }
  }

  private *richEvents(filter: EventFilter, kinds: readonly string[] | undefined): Generator<LoopEvent> {
    const from = filter.fromSeq ?? 0;
    const to = filter.toSeq ?? Number.MAX_SAFE_INTEGER;
    const wanted = kinds && kinds.length < RICH_KIND_COUNT ? new Set(kinds) : undefined;
    for (const row of this.checkedRows(from, to)) {
      if (row.seq < from || row.seq > to) continue;
      if ((wanted && !wanted.has(row.kind)) || (filter.task !== undefined && row.task !== filter.task)) continue;
      const data = this.integrity.read(`events row seq ${row.seq}`, () => JSON.parse(row.data));
      yield { seq: row.seq, t: row.t, kind: row.kind, task: row.task, scope: row.scope, process: row.process, ...data } as LoopEvent;
    }
  }

  /**
   * The `events` rows from `from` to `to` (and around them, for whole write groups), in seq order,
   * each only once checked. Rows are read in the table's own order and filtered by the caller,
   * never through an index: a damaged index would drop or swap rows that no checksum could
   * notice. A whole read also notices write groups that vanished.
   */
  private *checkedRows(from: number, to: number): Generator<StoredRow> {
    const whole = from === 0 && to === Number.MAX_SAFE_INTEGER;
    if (this.integrity.grouped) {
      this.groups ??= WriteGroups.read(this.db, this.integrity);
      const span = whole ? undefined : this.groups.span(from, to);
      yield* this.groups.checked(this.storedRows(span?.from ?? from, span?.to ?? to, ''), span?.ids);
      return;
    }
    const tally = whole ? this.integrity.tally(this.db, 'events') : undefined;
    let previous: number | undefined;
    for (const row of this.storedRows(from, to, ', crc') as Iterable<EventRow & { crc: number }>) {
      this.integrity.event(row, previous);
      tally?.add(row.grp, row.seq);
      previous = row.seq;
      yield row;
    }
    tally?.finish();
  }

  /** The rows of `events` in [from, to] as stored, in seq order; SQLite's own errors name where. */
  private *storedRows(from: number, to: number, extra: string): Generator<StoredRow> {
    const sql = `SELECT seq, t, kind, task, scope, process, data, grp${extra} FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq`;
    const rows = this.integrity.read('table events', () => this.db.prepare(sql).iterate(from, to)) as Iterator<StoredRow>;
    let previous: number | undefined;
    try {
      for (;;) {
        const next = this.integrity.read(`table events${previous === undefined ? '' : ` after seq ${previous}`}`, () => rows.next());
        if (next.done) break;
        previous = next.value.seq;
        yield next.value;
      }
    } finally {
      // Stopped early or by damage: the statement must not stay open (close() would fail).
      rows.return?.();
    }
  }

  private *hookEvents(filter: EventFilter, kinds: readonly EventKind[] | undefined): Generator<LoopEvent> {
    const from = filter.fromSeq ?? 0;
    const to = filter.toSeq ?? Number.MAX_SAFE_INTEGER;
    const wanted = kinds ? new Set(HOOK_KINDS.map((k, i) => (kinds.includes(k) ? i : -1)).filter((i) => i >= 0)) : undefined;
    for (const view of this.chunkViews(from, to)) {
      for (let i = view.lowerBound(from); i < view.count && view.seq(i) <= to; i++) {
        if (wanted && !wanted.has(view.kindIndex(i))) continue;
        if (filter.task !== undefined && view.task(i) !== filter.task) continue;
        yield this.hookEvent(view, i);
      }
    }
  }

  private hookEvent(view: HookChunkView, i: number): LoopEvent {
    const r = view.record(i);
    const base = { seq: r.seq, t: r.t, task: r.task, scope: r.scope || null, process: 0 };
    if (r.kind === 'task.init') return { ...base, kind: r.kind, type: this.types.get(r.typeCode) ?? `type#${r.typeCode}`, trigger: r.trigger, exec: r.exec };
    return { ...base, kind: r.kind };
  }

  /**
   * The task-tree hooks as decoded chunks, in seq order: a million records cost no object
   * each (read columns with the view's accessors). Type codes name types through asyncTypes().
   */
  *hookChunks(): Generator<HookChunkView> {
    yield* this.chunkViews(0, Number.MAX_SAFE_INTEGER);
  }

  /** Checked chunks overlapping [from, to], in seq order (all of them, tallied, for the whole range). */
  private *chunkViews(from: number, to: number): Generator<HookChunkView> {
    const whole = from === 0 && to === Number.MAX_SAFE_INTEGER;
    const tally = whole ? this.integrity.tally(this.db, 'chunks') : undefined;
    // A page of events (the TUI's) reads only its chunks; only the whole read notices a missing one.
    const sql = 'SELECT id, first_seq, last_seq, count, grp, data, crc FROM hook_chunks WHERE last_seq >= ? AND first_seq <= ? ORDER BY first_seq';
    const rows = this.integrity.read('table hook_chunks', () => this.db.prepare(sql).iterate(from, to)) as Iterator<ChunkRow>;
    let previous: ChunkRow | undefined;
    try {
      for (;;) {
        const next = this.integrity.read(`table hook_chunks${previous ? ` after chunk ${previous.id}` : ''}`, () => rows.next());
        if (next.done) break;
        const row = next.value;
        this.integrity.chunk(row);
        tally?.add(row.grp, row.first_seq);
        previous = row;
        yield new HookChunkView(row.data);
      }
    } finally {
      rows.return?.();
    }
    tally?.finish();
  }

  /** SQLite's own check of every page and index (PRAGMA integrity_check): its first complaint, or undefined. */
  sqliteCheck(): string | undefined {
    const rows = this.integrity.read('the file', () => this.db.pragma('integrity_check(1)') as Array<{ integrity_check: string }>);
    const first = rows[0]?.integrity_check;
    return first === 'ok' ? undefined : first;
  }

  /** Async resource type names by code. */
  asyncTypes(): ReadonlyMap<number, string> {
    return this.types;
  }

  /** The highest seq in the recording (0 when empty). */
  lastSeq(): number {
    return this.integrity.read('the seq index', () => {
      const rich = (this.db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s ?? 0;
      const hook = (this.db.prepare('SELECT max(last_seq) AS s FROM hook_chunks').get() as { s: number | null }).s ?? 0;
      return Math.max(rich, hook);
    });
  }

  tasks(): TaskSummary[] {
    return this.summary('tasks', readTasks) ?? this.computed().tasks;
  }

  scopes(): ScopeSummary[] {
    return this.summary('scopes', readScopes) ?? this.computed().scopes;
  }

  /** Events per kind. */
  counts(): Record<string, number> {
    return this.summary('counts', readCounts) ?? this.computed().counts;
  }

  /** A stored summary table, checked; undefined when the recording has none (then it is computed). */
  private summary<T>(name: 'tasks' | 'scopes' | 'counts', read: (db: Database.Database) => T | undefined): T | undefined {
    return this.integrity.read(`summary table ${name}`, () => {
      if (!this.hasTable(name === 'counts' ? 'summary' : name)) return undefined;
      const value = read(this.db);
      if (value !== undefined) this.integrity.summary(name, value, readSummaryChecks(this.db)[name]);
      return value;
    });
  }

  close(): void {
    this.db.close();
  }

  private computed(): Summaries {
    // Built from the raw tables: read them once through the checks first.
    if (!this.summaries) for (const _ of this.events()) void _;
    this.summaries ??= this.integrity.read('the recording', () => buildSummaries(this.db));
    return this.summaries;
  }

  private readMeta(): RecordingMeta {
    const meta: Record<string, unknown> = { ...META_DEFAULTS };
    for (const row of this.db.prepare('SELECT key, value, crc FROM meta').all() as { key: string; value: string; crc: number }[]) {
      this.integrity.pair('meta', row.key, row.value, row.crc);
      meta[row.key] = JSON.parse(row.value);
    }
    return meta as unknown as RecordingMeta;
  }

  private hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }
}

function emptyIterator(): Iterator<LoopEvent> {
  return [][Symbol.iterator]();
}
