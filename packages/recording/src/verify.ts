import { oneLine } from './integrity.js';
import { RecordingReader } from './reader.js';

export interface VerifyReport {
  path: string;
  formatVersion: number;
  /** False for format 1 files: only SQLite's own check could run. */
  checksums: boolean;
  events: number;
  hookChunks: number;
  /** False when the program was killed before the recording closed: it holds what was written before. */
  complete: boolean;
  lastSeq: number;
}

/**
 * Reads every part of a recording through its checks — SQLite's integrity_check, every row and
 * chunk checksum, every flush's row count, the summary tables — and throws the first damage
 * found (RecordingError DAMAGED, naming the part) or returns what was checked.
 */
export function verifyRecording(path: string): VerifyReport {
  const reader = RecordingReader.open(path);
  try {
    const complaint = reader.sqliteCheck();
    if (complaint) throw reader.integrity.damaged('the SQLite file', `fails integrity_check: ${oneLine(complaint)}`);
    let events = 0;
    let lastSeq = 0;
    for (const e of reader.events({ kinds: [] })) {
      events++;
      lastSeq = e.seq;
    }
    let hookChunks = 0;
    for (const _ of reader.hookChunks()) hookChunks++;
    reader.tasks();
    reader.scopes();
    reader.counts();
    // A lean recording's derived tree (derived.ts) is read through the same checks.
    if (reader.isLean && reader.hasDerivedTree) {
      const derived = RecordingReader.open(path, { tree: true });
      try {
        for (const _ of derived.events()) void _;
        derived.tasks();
      } finally {
        derived.close();
      }
    }
    return { path, formatVersion: reader.meta.formatVersion, checksums: !reader.unchecked, events, hookChunks, complete: reader.meta.complete, lastSeq };
  } finally {
    reader.close();
  }
}
