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
  /**
   * Recorded with the task tree live (`record --tree`: async_hooks in the recorded process), or
   * lean (the default: inputs and compared outputs only; the tree is derived by replay, derived.ts).
   * Kept under its first name: older recordings say `promises: false` for `--no-promises`.
   */
  promises: boolean;
  /** `derived`: this is the tree derived from a lean recording by replaying it (derived.ts). */
  tree?: 'derived';
  stacks: boolean;
  /** Header and JSON field names whose values were redacted. */
  redacted: string[];
  /** False until the recording closed cleanly; a killed program leaves it false. */
  complete: boolean;
  /** How stdout and stderr looked to the program (console colours depend on it): replay shows the same. */
  terminal?: { stdout: StreamLook; stderr: StreamLook };
  /** The recorded process's ids: loggers print them (pino's `pid`), so replay shows the same. */
  process?: { pid: number; ppid: number };
  /** A random id given when recording starts: which run wrote this file. */
  recordingId?: string;
  /** A run `looptape explore` found: how, and what it shows. */
  found?: FoundMeta;
  /** Oracles kept with the recording (`looptape test --until … --update`): what a regression test checks. */
  until?: string[];
  /**
   * The program's code when it started (its main script), by path relative to `cwd`: sha256, not
   * the bytes. Code is what replay runs, not an input: replay only says when it changed.
   */
  code?: Record<string, string>;
  exitCode?: number | null;
  signal?: string | null;
  durationMs?: number;
}

/** What a recording made by `looptape explore` says about how it was found. */
export interface FoundMeta {
  /** The recordingId of the recording it was explored from. */
  parent: string | null;
  seed: number;
  strategy: string;
  /** Which run of the exploration found it (from 0). */
  run: number;
  /** The oracles explore was given, and the one that tripped with its reason. */
  until: string[];
  oracle?: string;
  reason?: string;
  /** The shrunk difference, in one sentence. */
  explanation: string;
  /** The deliveries moved from their recorded place (delivery ids). */
  moved: string[];
  /** The events of this recording that made those deliveries (seqs), for `inspect` to mark. */
  movedSeqs?: number[];
  /** The order the run followed (deliveries, as in a schedule). */
  schedule: unknown[];
  /** The answers of the recording it was explored from (what `differs` compares with). */
  expected?: Array<{ method: string; url: string; occurrence: number; status: number; body: string; t: number; aborted?: boolean }>;
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
