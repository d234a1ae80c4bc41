import { randomUUID } from 'node:crypto';
import { RecordingWriter, type RecordingMeta } from '@looptape/recording';
import type { EventSink, Redactor, Session, ProgramEnd } from '@looptape/recorder/capture';

/** Writing a replayed run as a recording of its own (what `explore` saves). */
export interface SaveOptions {
  /** The file to write (replaced if it exists: the caller picks a fresh path). */
  out: string;
  /** Meta to add: what the run was (found by explore: schedule, oracle, seed…). */
  meta?: Partial<RecordingMeta>;
}

export interface OpenSave {
  sink: EventSink;
  close(session: Session, end: Partial<ProgramEnd>, durationMs: number): void;
}

/**
 * A recording of this replay: the program's events as the replay saw them, with the parent's
 * command line, folder, start time and redactions, so it opens and replays like any other.
 */
export function openSave(options: SaveOptions, parent: RecordingMeta, redactor: Redactor): OpenSave {
  const writer = RecordingWriter.create(options.out, { force: true });
  const { argv, cwd, startTime, startEpochMs, nodeVersion, looptapeVersion, terminal, stacks } = parent;
  writer.writeMeta({ argv, cwd, startTime, startEpochMs, nodeVersion, looptapeVersion, terminal, stacks, promises: true, redacted: redactor.names, recordingId: randomUUID(), ...options.meta });
  return {
    sink: { write: (events, chunks, types, files) => writer.write(events, chunks, types, files) },
    close(session, end, durationMs) {
      session.flush();
      writer.close({ exitCode: end.code ?? null, signal: end.signal ?? null, durationMs });
    },
  };
}
