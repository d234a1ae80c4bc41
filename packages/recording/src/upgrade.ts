import fs from 'node:fs';
import Database from 'better-sqlite3';
import { chunkCrc, eventCrc, pairCrc, seqsCrc, type EventRow } from './checksum.js';
import { RecordingReader } from './reader.js';
import { FORMAT_VERSION, MIGRATIONS } from './schema.js';
import { writeSummaries } from './summary.js';
import { writeMetaValue } from './writer.js';

/**
 * Writes a copy of an older recording in this format, checksums included (as one flush: the
 * original flushes are not known). The original is only read. Its data is trusted as it is:
 * run it through `verify` first.
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
      const events = db.prepare('SELECT seq, t, kind, task, scope, process, data FROM events ORDER BY seq').all() as EventRow[];
      const setEvent = db.prepare('UPDATE events SET grp = 1, crc = ? WHERE seq = ?');
      for (const row of events) setEvent.run(eventCrc({ ...row, grp: 1 }), row.seq);
      const chunks = db.prepare('SELECT id, first_seq, last_seq, count, data FROM hook_chunks').all() as Array<{ id: number; first_seq: number; last_seq: number; count: number; data: Buffer }>;
      const setChunk = db.prepare('UPDATE hook_chunks SET grp = 1, crc = ? WHERE id = ?');
      for (const c of chunks) setChunk.run(chunkCrc(c.first_seq, c.last_seq, c.count, 1, c.data), c.id);
      db.prepare('INSERT INTO flushes VALUES (1, ?, ?, ?, ?)').run(events.length, seqsCrc(events.map((e) => e.seq)), chunks.length, seqsCrc(chunks.map((c) => c.first_seq)));
      const setType = db.prepare('UPDATE async_types SET crc = ? WHERE code = ?');
      for (const t of db.prepare('SELECT code, name FROM async_types').all() as Array<{ code: number; name: string }>) setType.run(pairCrc(t.code, t.name), t.code);
      const setMeta = db.prepare('UPDATE meta SET crc = ? WHERE key = ?');
      for (const m of db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>) setMeta.run(pairCrc(m.key, m.value), m.key);
      writeMetaValue(db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)'), 'formatVersion', FORMAT_VERSION);
      db.pragma(`user_version = ${FORMAT_VERSION}`);
    })();
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'tasks'").get()) writeSummaries(db);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}
