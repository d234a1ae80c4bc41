import type Database from 'better-sqlite3';

/** 'LTAP' — marks a SQLite file as a looptape recording (PRAGMA application_id). */
export const APPLICATION_ID = 0x4c544150;
/** The format this code writes. Bump on any change a reader must know about; add a migration. */
export const FORMAT_VERSION = 1;
/** The oldest reader that can read what this code writes. */
export const MIN_READER_VERSION = 1;

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  t REAL NOT NULL,
  kind TEXT NOT NULL,
  task INTEGER NOT NULL,
  scope INTEGER,
  process INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL
);
CREATE TABLE hook_chunks (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE async_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL);
`;

/** Written when a recording closes, so readers get a first view without scanning events. */
export const SUMMARY_SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  trigger INTEGER NOT NULL,
  exec INTEGER NOT NULL,
  scope INTEGER,
  init_seq INTEGER NOT NULL,
  init_t REAL NOT NULL,
  first_before_seq INTEGER,
  last_after_seq INTEGER,
  last_after_t REAL,
  resolve_seq INTEGER,
  resolve_t REAL,
  runs INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS scopes (
  exchange INTEGER PRIMARY KEY,
  method TEXT NOT NULL,
  url TEXT NOT NULL,
  status INTEGER,
  start_seq INTEGER NOT NULL,
  start_t REAL NOT NULL,
  end_seq INTEGER,
  end_t REAL,
  aborted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS summary (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_kind ON events (kind, seq);
CREATE INDEX IF NOT EXISTS events_task ON events (task, seq);
CREATE INDEX IF NOT EXISTS tasks_scope ON tasks (scope);
CREATE INDEX IF NOT EXISTS tasks_init ON tasks (init_seq);
CREATE INDEX IF NOT EXISTS tasks_trigger ON tasks (trigger);
`;

/**
 * Migrations from older formats, keyed by the version they upgrade from.
 * Format 1 is the first; the next format change adds `1: db => …` here.
 */
export const MIGRATIONS: Record<number, (db: Database.Database) => void> = {};
