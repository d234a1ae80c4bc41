import type { RecordingReader } from '@looptape/recording';

/** Receives the task hooks in recorded order, as numbers. */
export interface HookVisitor {
  init(seq: number, t: number, task: number, type: string, trigger: number, exec: number, scope: number): void;
  before(seq: number, t: number, task: number): void;
  after(seq: number, t: number, task: number): void;
  resolve(seq: number, t: number, task: number): void;
}

interface Statement {
  iterate(...params: unknown[]): Iterable<Record<string, unknown>>;
  all(...params: unknown[]): Record<string, unknown>[];
}

/** The part of the reader's SQLite connection this file uses. */
interface Connection {
  prepare(sql: string): Statement;
}

const RECORD_INTS = 8; // 32-byte records: f64 t | i32 seq | i32 kind + type<<3 | i32 task | trigger | exec | scope
const KINDS = ['init', 'before', 'after', 'resolve'] as const;

/**
 * Feeds the recording's task hooks to `visitor`. The fast way decodes the hook chunks
 * (docs/recording-format.md, "hook_chunks") straight from typed arrays: a million records,
 * no object each. RecordingReader has no public method for that yet, so it reads the
 * chunks through the reader's own connection; when that is not there, it falls back to
 * `reader.events()` (same result, about three times slower on a million events).
 */
export function visitHooks(reader: RecordingReader, visitor: HookVisitor): void {
  const db = (reader as unknown as { db?: Connection }).db;
  if (db && typeof db.prepare === 'function') visitChunks(db, visitor);
  else visitEvents(reader, visitor);
}

function visitChunks(db: Connection, visitor: HookVisitor): void {
  const types = new Map<number, string>();
  for (const row of db.prepare('SELECT code, name FROM async_types').all()) types.set(row.code as number, row.name as string);
  for (const row of db.prepare('SELECT data FROM hook_chunks ORDER BY first_seq').iterate()) {
    const data = row.data as Uint8Array;
    const bytes = data.byteOffset % 8 === 0 ? data : data.slice();
    const ints = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
    const floats = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 3);
    for (let i = 0; i < ints.length; i += RECORD_INTS) {
      const t = floats[i >> 1];
      const seq = ints[i + 2];
      const packed = ints[i + 3];
      const task = ints[i + 4];
      switch (packed & 7) {
        case 0:
          visitor.init(seq, t, task, types.get(packed >> 3) ?? `type#${packed >> 3}`, ints[i + 5], ints[i + 6], ints[i + 7]);
          break;
        case 1:
          visitor.before(seq, t, task);
          break;
        case 2:
          visitor.after(seq, t, task);
          break;
        case 3:
          visitor.resolve(seq, t, task);
          break;
        default:
          break;
      }
    }
  }
}

function visitEvents(reader: RecordingReader, visitor: HookVisitor): void {
  for (const e of reader.events({ kinds: KINDS.map((k) => `task.${k}` as const) })) {
    if (e.kind === 'task.init') visitor.init(e.seq, e.t, e.task, e.type, e.trigger, e.exec, e.scope ?? 0);
    else if (e.kind === 'task.before') visitor.before(e.seq, e.t, e.task);
    else if (e.kind === 'task.after') visitor.after(e.seq, e.t, e.task);
    else if (e.kind === 'task.resolve') visitor.resolve(e.seq, e.t, e.task);
  }
}
