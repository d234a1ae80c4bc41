import fs from 'node:fs';
import Database from 'better-sqlite3';
import { chunkCrc, GroupCrc, pairCrc, seqsCrc, type GroupRow } from './checksum.js';
import { RecordingReader } from './reader.js';
import { FORMAT_VERSION, GROUP_ROWS, MIGRATIONS, MIN_READER_VERSION } from './schema.js';
import { writeSummaries } from './summary.js';
import { writeMetaValue } from './writer.js';

/**
 * Writes a copy of an older recording in this format, checksums included (in write groups of
 * GROUP_ROWS events, the hook chunks in the first). The original is only read. Its data is
 * trusted as it is: run it through `verify` first.
 */
export function upgradeRecording(from: string, to: string): void {
  const reader = RecordingReader.open(from);
  const version = reader.meta.formatVersion;
  reader.close();
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  if (version >= FORMAT_VERSION) return;
  const db = new Database(to);
  try {
    db.transaction(() => {
      for (let v = version; v < FORMAT_VERSION; v++) MIGRATIONS[v](db);
      db.exec('ALTER TABLE events DROP COLUMN crc');
      db.exec('DELETE FROM flushes');
      const chunks = db.prepare('SELECT id, first_seq, last_seq, count, data FROM hook_chunks ORDER BY first_seq').all() as Array<{ id: number; first_seq: number; last_seq: number; count: number; data: Buffer }>;
      const setChunk = db.prepare('UPDATE hook_chunks SET grp = 1, crc = ? WHERE id = ?');
      for (const c of chunks) setChunk.run(chunkCrc(c.first_seq, c.last_seq, c.count, 1, c.data), c.id);
      regroup(db, chunks.length, seqsCrc(chunks.map((c) => c.first_seq)));
      const setType = db.prepare('UPDATE async_types SET crc = ? WHERE code = ?');
      for (const t of db.prepare('SELECT code, name FROM async_types').all() as Array<{ code: number; name: string }>) setType.run(pairCrc(t.code, t.name), t.code);
      const setMeta = db.prepare('UPDATE meta SET crc = ? WHERE key = ?');
      for (const m of db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>) setMeta.run(pairCrc(m.key, m.value), m.key);
      const insertMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)');
      writeMetaValue(insertMeta, 'formatVersion', FORMAT_VERSION);
      writeMetaValue(insertMeta, 'minReaderVersion', MIN_READER_VERSION);
      db.pragma(`user_version = ${FORMAT_VERSION}`);
    })();
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tasks'").get()) writeSummaries(db);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

/** Puts every `events` row in write groups of GROUP_ROWS, in seq order, with their `flushes` rows. */
function regroup(db: Database.Database, chunks: number, chunksCrc: number): void {
  const rows = db.prepare('SELECT seq, t, kind, task, scope, process, data FROM events ORDER BY seq').all() as GroupRow[];
  const setGroup = db.prepare('UPDATE events SET grp = ? WHERE seq >= ? AND seq <= ?');
  const insert = db.prepare('INSERT INTO flushes (id, events, events_crc, chunks, chunks_crc, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (let from = 0, grp = 1; from === 0 || from < rows.length; from += GROUP_ROWS, grp++) {
    const group = rows.slice(from, from + GROUP_ROWS);
    const sum = new GroupCrc();
    for (const row of group) sum.add(row, row.data);
    if (group.length) setGroup.run(grp, group[0].seq, group.at(-1)!.seq);
    insert.run(grp, group.length, sum.digest(), grp === 1 ? chunks : 0, grp === 1 ? chunksCrc : 0, group[0]?.seq ?? null, group.at(-1)?.seq ?? null);
  }
}
