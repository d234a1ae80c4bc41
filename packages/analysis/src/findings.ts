/** What `looptape report` names. Kinds follow the "Finding" vocabulary of the design. */
export type FindingKind =
  | 'orphaned-task'
  | 'floating-promise'
  | 'unhandled-rejection'
  | 'uncaught-error'
  | 'leaked-handle'
  | 'rogue-loop'
  | 'unanswered-request'
  | 'slow-request'
  | 'swallowed-error'
  | 'blocked-loop'
  | 'unbounded-fanout';

export const FINDING_KINDS: readonly FindingKind[] = [
  'uncaught-error', 'unhandled-rejection', 'unanswered-request', 'orphaned-task', 'floating-promise',
  'rogue-loop', 'leaked-handle', 'swallowed-error', 'blocked-loop', 'unbounded-fanout', 'slow-request',
];

/** Why a finding was judged so: what `--explain` prints, and `reason` in `--json`. */
export interface Reason {
  /** The rule it matched, `kind/rule` (e.g. `orphaned-task/work-after-response`). */
  rule: string;
  /** The judgement in a sentence or two, naming the events it rests on. */
  why: string;
  /** Seqs of the events that show it (`looptape events FILE` lists them). */
  evidence: number[];
  /** What would have made the code fine (warnings and errors). */
  fine?: string;
}

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
  reason: Reason;
  /** Set on a finding a suppression turned off: which one (`looptape-ignore-next-line at FILE:LINE`, `looptape.config.json`). */
  suppressedBy?: string;
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
  /** Findings a suppression turned off: listed, never silently dropped, and never failing the report (always set by analyze). */
  suppressed?: Finding[];
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
