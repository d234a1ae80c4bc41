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

export const FINDING_KINDS: readonly FindingKind[] = [
  'uncaught-error', 'unhandled-rejection', 'unanswered-request', 'orphaned-task', 'floating-promise',
  'rogue-loop', 'leaked-handle', 'slow-request',
];

/** `info` findings (slow requests) are for reading: they never make `looptape report` fail. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One line a user reads at a glance. */
  message: string;
  /** The task (asyncId) the finding is about, or null when it is about a request as a whole. */
  task: number | null;
  /** From the root to the task, e.g. `#3 POST /checkout → PROMISE → setTimeout 200ms` (`main → …` outside requests). */
  taskPath: string;
  /** The inbound request's exchange it belongs to, or null. */
  request: number | null;
  /** `#3 POST /checkout` for `request`, or null. */
  requestLabel: string | null;
  /**
   * file:line:column of the program's code: where the error was thrown, or where the task was
   * created (`record --stacks`), or the call site of its timer or outbound call; null when unknown.
   */
  location: string | null;
  /** The seq of the event that shows it best (where the TUI jumps). */
  seq: number;
  /** Times (ms since the recording started, or after the request ended), counts, what it did. */
  evidence: Record<string, unknown>;
}

/** A finding kind that could not be computed from this recording (e.g. `--no-promises`), and why. */
export interface MissingFinding {
  kind: FindingKind;
  reason: string;
  /** True when findings of this kind were computed, but only in part (the reason says which part is missing). */
  partial?: boolean;
}

export interface Report {
  findings: Finding[];
  missing: MissingFinding[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Most severe first, then in recorded order. */
export function compareFindings(a: Finding, b: Finding): number {
  return RANK[a.severity] - RANK[b.severity] || a.seq - b.seq;
}

/** True when the report has a finding that should fail CI: anything but `info`. */
export function hasProblems(report: Report): boolean {
  return report.findings.some((f) => f.severity !== 'info');
}
