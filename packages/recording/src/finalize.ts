import Database from 'better-sqlite3';
import { writeSummaries } from './summary.js';
import { writeMetaValue } from './writer.js';

/**
 * Writes a recording's summaries and indexes once its program has ended (also one that was
 * killed before it could close: its `complete` stays false). Leaves a plain rollback-journal file.
 */
export function finalizeRecording(path: string, meta: Record<string, unknown> = {}, expect: { recordingId?: string } = {}): { finalized: boolean; complete: boolean } {
  // Opening read-write rolls back a write the program was killed in the middle of.
  const db = new Database(path, { fileMustExist: true });
  try {
    const value = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    if (expect.recordingId !== undefined && value('recordingId') !== JSON.stringify(expect.recordingId)) return { finalized: false, complete: false };
    const complete = value('complete') === 'true';
    // On a full disk what does not fit is left out: the recording stays readable without it.
    unlessFull(() => {
      const insert = db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (const [key, v] of Object.entries(meta)) if (v !== undefined) writeMetaValue(insert, key, v);
        if (!db.prepare("SELECT 1 FROM meta WHERE key = 'durationMs'").get()) {
          const last = db.prepare('SELECT max(t) AS t FROM events').get() as { t: number | null };
          if (last.t !== null) writeMetaValue(insert, 'durationMs', last.t);
        }
      })();
    });
    unlessFull(() => writeSummaries(db));
    unlessFull(() => db.pragma('journal_mode = DELETE'));
    return { finalized: true, complete };
  } finally {
    db.close();
  }
}

function unlessFull(write: () => void): void {
  try {
    write();
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error;
  }
}

/** A recording whose program was killed in the middle of a write has a rollback journal beside it. */
export function recoverInterrupted(path: string): void {
  new Database(path, { fileMustExist: true }).close();
}
