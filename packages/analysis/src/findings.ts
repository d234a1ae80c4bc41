/** What `looptape report` names. Kinds follow the "Finding" vocabulary of the design. */
export type FindingKind =
  | 'orphaned-task'
  | 'floating-promise'
  | 'unhandled-rejection'
  | 'uncaught-error'
  | 'leaked-handle'
  | 'rogue-loop'
  | 'unanswered-request'
  | 'slow-request';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One line a user reads at a glance. */
  message: string;
  /** The task (asyncId) the finding is about, or null when it is about a request as a whole. */
  task: number | null;
  /** From the root to the task, e.g. `#3 POST /checkout → handler → setTimeout 200ms`. */
  taskPath: string;
  /** The inbound request's exchange it belongs to, or null. */
  request: number | null;
  /** file:line:column of the user code that created it, when stacks were recorded. */
  location: string | null;
  /** The seq of the event that shows it best (where the TUI jumps). */
  seq: number;
  evidence: Record<string, unknown>;
}

/** A finding kind that could not be computed from this recording (e.g. `--no-promises`), and why. */
export interface MissingFinding {
  kind: FindingKind;
  reason: string;
}

export interface Report {
  findings: Finding[];
  missing: MissingFinding[];
}
