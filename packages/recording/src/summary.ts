import type Database from 'better-sqlite3';
import { valueCrc } from './checksum.js';
import { HookChunkView } from './hook-stream.js';
import { SUMMARY_SCHEMA } from './schema.js';
import { foldHooks, taskSummaryAt } from './task-table.js';

/** One async task, as the hooks saw it over the whole recording. */
export interface TaskSummary {
  id: number;
  type: string;
  /** triggerAsyncId: for a promise, the promise it chains from. */
  trigger: number;
  /** executionAsyncId at init: who created it. */
  exec: number;
  scope: number | null;
  initSeq: number;
  initT: number;
  firstBeforeSeq: number | null;
  lastAfterSeq: number | null;
  lastAfterT: number | null;
  resolveSeq: number | null;
  resolveT: number | null;
  /** How many times its callback ran (before hooks). */
  runs: number;
}

/** One inbound request: the root of a request scope. */
export interface ScopeSummary {
  exchange: number;
  method: string;
  url: string;
  status: number | null;
  startSeq: number;
  startT: number;
  endSeq: number | null;
  endT: number | null;
  aborted: boolean;
}

export interface Summaries {
  tasks: TaskSummary[];
  scopes: ScopeSummary[];
  counts: Record<string, number>;
}

/** Scans a recording's hook stream and request events into summaries (no writes). */
export function buildSummaries(db: Database.Database): Summaries {
  const types = new Map<number, string>();
  for (const row of db.prepare('SELECT code, name FROM async_types').all() as { code: number; name: string }[]) types.set(row.code, row.name);
  const counts: Record<string, number> = {};
  const count = (kind: string) => () => void (counts[kind] = (counts[kind] ?? 0) + 1);
  const chunks = function* () {
    for (const row of db.prepare('SELECT data FROM hook_chunks ORDER BY first_seq').iterate() as Iterable<{ data: Buffer }>) yield new HookChunkView(row.data);
  };
  const table = foldHooks(chunks(), types, {
    init: count('task.init'), before: count('task.before'), after: count('task.after'), resolve: count('task.resolve'), destroy: count('task.destroy'),
  });
  for (const row of db.prepare('SELECT kind, count(*) AS n FROM events GROUP BY kind').all() as { kind: string; n: number }[]) counts[row.kind] = row.n;
  const tasks = Array.from({ length: table.count }, (_, row) => taskSummaryAt(table, row));
  return { tasks, scopes: buildScopes(db), counts };
}

function buildScopes(db: Database.Database): ScopeSummary[] {
  const scopes = new Map<number, ScopeSummary>();
  const rows = db.prepare(
    `SELECT seq, t, kind, json_extract(data, '$.exchange') AS exchange, json_extract(data, '$.method') AS method,
            json_extract(data, '$.url') AS url, json_extract(data, '$.status') AS status
     FROM events WHERE kind IN ('http.request', 'http.response', 'http.abort') AND json_extract(data, '$.direction') = 'in' ORDER BY seq`,
  ).all() as { seq: number; t: number; kind: string; exchange: number; method: string; url: string; status: number }[];
  for (const row of rows) {
    if (row.kind === 'http.request') {
      scopes.set(row.exchange, { exchange: row.exchange, method: row.method, url: row.url, status: null, startSeq: row.seq, startT: row.t, endSeq: null, endT: null, aborted: false });
      continue;
    }
    const scope = scopes.get(row.exchange);
    if (!scope) continue;
    if (row.kind === 'http.abort') scope.aborted = true;
    else scope.status = row.status;
    if (scope.endSeq === null) {
      scope.endSeq = row.seq;
      scope.endT = row.t;
    }
  }
  return [...scopes.values()];
}

/** Builds the summaries and stores them in the recording, with its indexes. */
export function writeSummaries(db: Database.Database): void {
  const { tasks, scopes, counts } = buildSummaries(db);
  // All or nothing (the tables too): a write that fails (a full disk) leaves no summary, which readers then compute.
  const write = db.transaction(() => {
    db.exec(SUMMARY_SCHEMA);
    db.exec('DELETE FROM tasks; DELETE FROM scopes; DELETE FROM summary;');
    const insertTask = db.prepare('INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const k of tasks) {
      insertTask.run(k.id, k.type, k.trigger, k.exec, k.scope, k.initSeq, k.initT, k.firstBeforeSeq, k.lastAfterSeq, k.lastAfterT, k.resolveSeq, k.resolveT, k.runs);
    }
    const insertScope = db.prepare('INSERT INTO scopes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const s of scopes) insertScope.run(s.exchange, s.method, s.url, s.status, s.startSeq, s.startT, s.endSeq, s.endT, s.aborted ? 1 : 0);
    db.prepare('INSERT INTO summary VALUES (?, ?)').run('counts', JSON.stringify(counts));
    // Checksums of the tables as readers read them back (the same queries), so what they check is what they got.
    const checks = { tasks: valueCrc(readTasks(db)), scopes: valueCrc(readScopes(db)), counts: valueCrc(readCounts(db)) };
    db.prepare('INSERT INTO summary VALUES (?, ?)').run('checks', JSON.stringify(checks));
  });
  write();
}

/** The stored summaries, read back: the one place these queries live (reader and writer of checks). */
export function readTasks(db: Database.Database): TaskSummary[] {
  return (db.prepare('SELECT * FROM tasks ORDER BY init_seq').all() as Record<string, unknown>[]).map(rowToTask);
}

export function readScopes(db: Database.Database): ScopeSummary[] {
  return (db.prepare('SELECT * FROM scopes ORDER BY start_seq').all() as Record<string, unknown>[]).map(rowToScope);
}

export function readCounts(db: Database.Database): Record<string, number> | undefined {
  const row = db.prepare("SELECT value FROM summary WHERE key = 'counts'").get() as { value: string } | undefined;
  return row ? JSON.parse(row.value) : undefined;
}

/** The checksums writeSummaries() stored (none in a format-1 file). */
export function readSummaryChecks(db: Database.Database): Partial<Record<'tasks' | 'scopes' | 'counts', number>> {
  const row = db.prepare("SELECT value FROM summary WHERE key = 'checks'").get() as { value: string } | undefined;
  return row ? JSON.parse(row.value) : {};
}

export function rowToTask(row: Record<string, unknown>): TaskSummary {
  return {
    id: row.id as number, type: row.type as string, trigger: row.trigger as number, exec: row.exec as number,
    scope: (row.scope as number | null) ?? null, initSeq: row.init_seq as number, initT: row.init_t as number,
    firstBeforeSeq: row.first_before_seq as number | null, lastAfterSeq: row.last_after_seq as number | null,
    lastAfterT: row.last_after_t as number | null, resolveSeq: row.resolve_seq as number | null,
    resolveT: row.resolve_t as number | null, runs: row.runs as number,
  };
}

export function rowToScope(row: Record<string, unknown>): ScopeSummary {
  return {
    exchange: row.exchange as number, method: row.method as string, url: row.url as string,
    status: row.status as number | null, startSeq: row.start_seq as number, startT: row.start_t as number,
    endSeq: row.end_seq as number | null, endT: row.end_t as number | null, aborted: row.aborted === 1,
  };
}
