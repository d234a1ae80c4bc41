import fs from 'node:fs';
import Database from 'better-sqlite3';
import { RecordingError } from './errors.js';
import { recoverInterrupted } from './finalize.js';
import { HOOK_KINDS, isHookKind, type EventKind, type LoopEvent } from './events.js';
import { HookChunkView } from './hook-stream.js';
import { META_DEFAULTS, type RecordingMeta } from './meta.js';
import { APPLICATION_ID, FORMAT_VERSION, MIGRATIONS } from './schema.js';
import { buildSummaries, rowToScope, rowToTask, type ScopeSummary, type Summaries, type TaskSummary } from './summary.js';

export interface EventFilter {
  kinds?: readonly EventKind[];
  task?: number;
  /** Inclusive. */
  fromSeq?: number;
  /** Inclusive. */
  toSeq?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Read-only access to a recording. Opening validates the file and never modifies it. */
export class RecordingReader {
  readonly meta: RecordingMeta;
  private types = new Map<number, string>();
  private summaries: Summaries | undefined;

  private constructor(readonly path: string, private readonly db: Database.Database) {
    this.meta = readMeta(db);
    for (const row of db.prepare('SELECT code, name FROM async_types').all() as { code: number; name: string }[]) this.types.set(row.code, row.name);
  }

  static open(path: string): RecordingReader {
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
      throw new RecordingError('BAD_RECORDING', `${path} is a damaged recording: ${(error as Error).message}`);
    }
    if (minReader > FORMAT_VERSION) {
      db.close();
      throw new RecordingError('TOO_NEW', `${path} is recording format ${version}, which needs looptape reading format ${minReader} or newer (this one reads up to ${FORMAT_VERSION})`, 'upgrade looptape');
    }
    if (version < FORMAT_VERSION) db = migrate(path, db, version);
    try {
      return new RecordingReader(path, db);
    } catch (error) {
      db.close();
      throw new RecordingError('BAD_RECORDING', `${path} is a damaged recording: ${(error as Error).message}`);
    }
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
    const where = ['seq >= ?', 'seq <= ?'];
    const params: unknown[] = [filter.fromSeq ?? 0, filter.toSeq ?? Number.MAX_SAFE_INTEGER];
    if (kinds) {
      where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
      params.push(...kinds);
    }
    if (filter.task !== undefined) {
      where.push('task = ?');
      params.push(filter.task);
    }
    const statement = this.db.prepare(`SELECT seq, t, kind, task, scope, process, data FROM events WHERE ${where.join(' AND ')} ORDER BY seq`);
    for (const row of statement.iterate(...params) as Iterable<{ seq: number; t: number; kind: string; task: number; scope: number | null; process: number; data: string }>) {
      yield { seq: row.seq, t: row.t, kind: row.kind, task: row.task, scope: row.scope, process: row.process, ...JSON.parse(row.data) } as LoopEvent;
    }
  }

  private *hookEvents(filter: EventFilter, kinds: readonly EventKind[] | undefined): Generator<LoopEvent> {
    const from = filter.fromSeq ?? 0;
    const to = filter.toSeq ?? Number.MAX_SAFE_INTEGER;
    const wanted = kinds ? new Set(HOOK_KINDS.map((k, i) => (kinds.includes(k) ? i : -1)).filter((i) => i >= 0)) : undefined;
    const chunks = this.db.prepare('SELECT data FROM hook_chunks WHERE last_seq >= ? AND first_seq <= ? ORDER BY first_seq');
    for (const row of chunks.iterate(from, to) as Iterable<{ data: Buffer }>) {
      const view = new HookChunkView(row.data);
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
    for (const row of this.db.prepare('SELECT data FROM hook_chunks ORDER BY first_seq').iterate() as Iterable<{ data: Buffer }>) yield new HookChunkView(row.data);
  }

  /** Async resource type names by code. */
  asyncTypes(): ReadonlyMap<number, string> {
    return this.types;
  }

  /** The highest seq in the recording (0 when empty). */
  lastSeq(): number {
    const rich = (this.db.prepare('SELECT max(seq) AS s FROM events').get() as { s: number | null }).s ?? 0;
    const hook = (this.db.prepare('SELECT max(last_seq) AS s FROM hook_chunks').get() as { s: number | null }).s ?? 0;
    return Math.max(rich, hook);
  }

  tasks(): TaskSummary[] {
    if (!this.hasTable('tasks')) return this.computed().tasks;
    return (this.db.prepare('SELECT * FROM tasks ORDER BY init_seq').all() as Record<string, unknown>[]).map(rowToTask);
  }

  scopes(): ScopeSummary[] {
    if (!this.hasTable('scopes')) return this.computed().scopes;
    return (this.db.prepare('SELECT * FROM scopes ORDER BY start_seq').all() as Record<string, unknown>[]).map(rowToScope);
  }

  /** Events per kind. */
  counts(): Record<string, number> {
    if (!this.hasTable('summary')) return this.computed().counts;
    const row = this.db.prepare("SELECT value FROM summary WHERE key = 'counts'").get() as { value: string } | undefined;
    return row ? JSON.parse(row.value) : this.computed().counts;
  }

  close(): void {
    this.db.close();
  }

  private computed(): Summaries {
    this.summaries ??= buildSummaries(this.db);
    return this.summaries;
  }

  private hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }
}

function checkFile(path: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RecordingError('NOT_FOUND', `${path}: no such file`);
    if (code === 'EISDIR') throw new RecordingError('NOT_SQLITE', `${path} is a directory, not a recording`);
    throw new RecordingError('NOT_FOUND', `${path} cannot be read (${code})`);
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n < 16 || head.toString('latin1') !== SQLITE_MAGIC) throw new RecordingError('NOT_SQLITE', `${path} is not a looptape recording (not a SQLite file)`);
  } finally {
    fs.closeSync(fd);
  }
}

function readMeta(db: Database.Database): RecordingMeta {
  const meta: Record<string, unknown> = { ...META_DEFAULTS };
  for (const row of db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]) meta[row.key] = JSON.parse(row.value);
  return meta as unknown as RecordingMeta;
}

/** Brings an older recording up to this format in memory: the file on disk is never changed. */
function migrate(path: string, db: Database.Database, from: number): Database.Database {
  const memory = new Database(db.serialize());
  db.close();
  for (let v = from; v < FORMAT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new RecordingError('BAD_RECORDING', `${path} is recording format ${v}, which this looptape cannot migrate`);
    step(memory);
  }
  return memory;
}

function emptyIterator(): Iterator<LoopEvent> {
  return [][Symbol.iterator]();
}
