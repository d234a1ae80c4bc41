import Database from 'better-sqlite3';
import { writeSummaries } from './summary.js';

/**
 * Writes a recording's summaries and indexes once its program has ended (also one that was
 * killed before it could close: its `complete` stays false). Leaves a plain rollback-journal file.
 */
export function finalizeRecording(path: string, meta: Record<string, unknown> = {}): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    const insert = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    for (const [key, value] of Object.entries(meta)) if (value !== undefined) insert.run(key, JSON.stringify(value));
    if (!db.prepare("SELECT 1 FROM meta WHERE key = 'durationMs'").get()) {
      const last = db.prepare('SELECT max(t) AS t FROM events').get() as { t: number | null };
      if (last.t !== null) insert.run('durationMs', JSON.stringify(last.t));
    }
    writeSummaries(db);
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}
