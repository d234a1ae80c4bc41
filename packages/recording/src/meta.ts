/** What a recording says about itself (the `meta` table, one JSON value per key). */
export interface RecordingMeta {
  formatVersion: number;
  minReaderVersion: number;
  looptapeVersion: string;
  nodeVersion: string;
  /** The recorded command line, as given to `looptape record --`. */
  argv: string[];
  cwd: string;
  /** Wall-clock start, ISO 8601. */
  startTime: string;
  /** Date.now() at start: the origin of `t` for time readings. */
  startEpochMs: number;
  /** Recorded with the full task tree (promise hooks) or not (`--no-promises`). */
  promises: boolean;
  stacks: boolean;
  /** Header and JSON field names whose values were redacted. */
  redacted: string[];
  /** False until the recording closed cleanly; a killed program leaves it false. */
  complete: boolean;
  /** How stdout and stderr looked to the program (console colours depend on it): replay shows the same. */
  terminal?: { stdout: StreamLook; stderr: StreamLook };
  /** A random id given when recording starts: which run wrote this file. */
  recordingId?: string;
  exitCode?: number | null;
  signal?: string | null;
  durationMs?: number;
}

export interface StreamLook {
  isTTY: boolean;
  colorDepth: number;
  columns?: number;
}

export const META_DEFAULTS: Pick<RecordingMeta, 'promises' | 'stacks' | 'redacted' | 'complete'> = {
  promises: true,
  stacks: false,
  redacted: [],
  complete: false,
};
