import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { RecordingError } from './errors.js';
import type { RecordingMeta } from './meta.js';

/**
 * The task tree of a lean recording, derived offline by replaying it once with full hooks (rr's
 * way: record what the world decided, re-derive the rest). The replay's own recording is a
 * recording like a `--tree` one: the same tables, read by the same reader into the same task
 * table. It is kept inside the lean file, gzip-compressed in table `derived_tree`, as derived
 * data: the recorded tables are never changed, and `replay` still reads them.
 */
const TABLE = 'derived_tree';
/** Parts stay well under SQLite's largest value (1 GB). */
const PART_BYTES = 256 * 1024 * 1024;

/** Recorded without the task tree: lean (the default), or `--no-promises` before it was. */
export function isLean(meta: Pick<RecordingMeta, 'promises' | 'tree'>): boolean {
  return meta.promises === false && meta.tree !== 'derived';
}

function hasTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(TABLE) !== undefined;
}

/** Whether a derived tree is stored in this recording. */
export function hasDerivedTree(db: Database.Database): boolean {
  return hasTable(db);
}

/**
 * Keeps `derivedFile` (a recording the replay wrote) inside the recording at `path`, replacing any
 * earlier one, in one transaction: a reader sees the whole derived tree or none.
 */
export function storeDerivedTree(path: string, derivedFile: string): void {
  const data = zlib.gzipSync(fs.readFileSync(derivedFile), { level: 1 });
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (part INTEGER PRIMARY KEY, data BLOB NOT NULL, crc INTEGER NOT NULL); DELETE FROM ${TABLE};`);
      const insert = db.prepare(`INSERT INTO ${TABLE} (part, data, crc) VALUES (?, ?, ?)`);
      for (let part = 0, at = 0; at < data.length; part++, at += PART_BYTES) {
        const slice = data.subarray(at, at + PART_BYTES);
        insert.run(part, slice, zlib.crc32(slice) | 0);
      }
    })();
  } finally {
    db.close();
  }
}

/** The derived recording's bytes (an SQLite file image), checked part by part; undefined when there is none. */
export function readDerivedTree(path: string, db: Database.Database): Buffer | undefined {
  if (!hasTable(db)) return undefined;
  const rows = db.prepare(`SELECT part, data, crc FROM ${TABLE} ORDER BY part`).all() as Array<{ part: number; data: Buffer; crc: number }>;
  rows.forEach((row, i) => {
    if (row.part !== i || (zlib.crc32(row.data) | 0) !== row.crc) {
      throw new RecordingError('DAMAGED', `${path} is damaged: table ${TABLE} part ${i} (the derived task tree) fails its checksum`, `looptape verify FILE checks the whole file; deleting the table (or the file's copy) derives the tree again`);
    }
  });
  try {
    return zlib.gunzipSync(Buffer.concat(rows.map((r) => r.data)));
  } catch (error) {
    throw new RecordingError('DAMAGED', `${path} is damaged: table ${TABLE} (the derived task tree) cannot be read (${(error as Error).message})`);
  }
}
