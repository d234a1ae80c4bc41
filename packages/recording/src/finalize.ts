import Database from 'better-sqlite3';
import { writeSummaries } from './summary.js';

/**
 * Closes a recording whose program was killed before it could (SIGKILL, OOM):
 * recovers the WAL, writes the summaries, and leaves a plain file. `complete` stays false.
 */
export function finalizeRecording(path: string, meta: Record<string, unknown> = {}): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    const insert = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    for (const [key, value] of Object.entries(meta)) insert.run(key, JSON.stringify(value));
    writeSummaries(db);
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
