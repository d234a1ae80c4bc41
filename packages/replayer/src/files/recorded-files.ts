import { realFs } from './real-fs.js';
import { RecordingReader, type FileStored, type LoopEvent } from '@looptape/recording';
import { sha256 } from '@looptape/recorder/capture';

interface Kept {
  stored: FileStored;
  data: Buffer | null;
}

/** The file contents a recording holds, by hash: what replay hands the program for each read. */
export class RecordedFiles {
  private constructor(private readonly kept: Map<string, Kept>) {}

  /** Loads the contents the recording's fs events name (read once, when replay starts). */
  static load(reader: RecordingReader, events: readonly LoopEvent[]): RecordedFiles {
    const kept = new Map<string, Kept>();
    for (const e of events) {
      if ((e.kind !== 'fs.read' && e.kind !== 'fs.write') || !e.hash || kept.has(e.hash)) continue;
      const file = reader.file(e.hash);
      if (file) kept.set(e.hash, file);
    }
    return new RecordedFiles(kept);
  }

  /** The bytes recorded under a hash (for the divergence report); undefined when not kept. */
  bytes(hash: string | undefined): Buffer | undefined {
    return (hash && this.kept.get(hash)?.data) || undefined;
  }

  /**
   * The bytes a read gets. A content past `--max-file-bytes` was recorded by its hash only: the
   * file on disk serves it while it is unchanged.
   */
  content(file: string, hash: string): Buffer {
    const data = this.bytes(hash);
    if (data) return Buffer.from(data);
    const now = realFs.existsSync(file) ? realFs.readFileSync(file) : undefined;
    if (now && sha256(now) === hash) return now;
    throw new Error(`looptape: ${file} was recorded by its hash only (past --max-file-bytes) and has changed since: this replay cannot give the program what it read`);
  }
}
