import type Database from 'better-sqlite3';

/** 'LTAP' — marks a SQLite file as a looptape recording (PRAGMA application_id). */
export const APPLICATION_ID = 0x4c544150;
/** The format this code writes. Bump on any change a reader must know about; add a migration. */
export const FORMAT_VERSION = 3;
/**
 * The oldest reader that can read what this code writes. Format 3 checks `events` rows by write
 * group, not one by one: a format-2 reader would look for the per-row checksums.
 */
export const MIN_READER_VERSION = 3;
/** The first format whose files carry checksums (checksum.ts). */
export const CHECKSUMS_SINCE = 2;
/** The first format that checks `events` rows by write group (`flushes.events_crc`), not per row. */
export const GROUP_CHECKSUMS_SINCE = 3;
/**
 * Rows of `events` in one write group at most: a reader that wants one event reads (and checks)
 * its whole group, so groups stay small; a larger write makes several.
 */
export const GROUP_ROWS = 4096;

/**
 * `files` holds the contents of files the program read or wrote (fs.read and fs.write events name
 * them by the sha256 of their real bytes), gzip-compressed, once per distinct content. Recordings
 * made before it have no such table: readers take it as empty (it came in format 2 without a
 * version bump: an older reader skips the table and replays against the real file system).
 */
export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  t REAL NOT NULL,
  kind TEXT NOT NULL,
  task INTEGER NOT NULL,
  scope INTEGER,
  process INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL,
  grp INTEGER NOT NULL
);
CREATE TABLE hook_chunks (
  id INTEGER PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL,
  grp INTEGER NOT NULL,
  crc INTEGER NOT NULL
);
CREATE TABLE async_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE files (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, stored TEXT NOT NULL, data BLOB, crc INTEGER NOT NULL);
CREATE TABLE flushes (
  id INTEGER PRIMARY KEY,
  events INTEGER NOT NULL,
  events_crc INTEGER NOT NULL,
  chunks INTEGER NOT NULL,
  chunks_crc INTEGER NOT NULL,
  first_seq INTEGER,
  last_seq INTEGER
);
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
 * Migrations from older formats, keyed by the version they upgrade from. They run on an
 * in-memory copy: the file on disk is never changed.
 */
export const MIGRATIONS: Record<number, (db: Database.Database) => void> = {
  // Format 1 had no checksums: the columns are added empty (ADD COLUMN rewrites nothing), and
  // the reader, which knows the file's own format, does not check them.
  1: (db) => {
    for (const table of ['events', 'hook_chunks']) db.exec(`ALTER TABLE ${table} ADD COLUMN grp INTEGER NOT NULL DEFAULT 0`);
    for (const table of ['events', 'hook_chunks', 'meta', 'async_types']) db.exec(`ALTER TABLE ${table} ADD COLUMN crc INTEGER NOT NULL DEFAULT 0`);
    db.exec('CREATE TABLE flushes (id INTEGER PRIMARY KEY, events INTEGER NOT NULL, events_crc INTEGER NOT NULL, chunks INTEGER NOT NULL, chunks_crc INTEGER NOT NULL)');
  },
  // Format 2 checked `events` rows one by one (`events.crc`, kept: the reader, which knows the
  // file's own format, still checks them so); its `flushes` rows had no seq range.
  2: (db) => {
    for (const column of ['first_seq', 'last_seq']) db.exec(`ALTER TABLE flushes ADD COLUMN ${column} INTEGER`);
  },
};
