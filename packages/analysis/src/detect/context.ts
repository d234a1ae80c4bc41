import type { Finding, FindingKind, Severity } from '../findings.js';
import type { Namer } from '../model/paths.js';
import type { TaskTable } from '../model/tasks.js';
import type { World } from '../model/world.js';

/** Thresholds of the analysis. */
export interface AnalyzeOptions {
  /** A request that took at least this long (ms) gets a slow-request finding (info). Default 1000; 0 reports every request. */
  slowMs?: number;
  /** How many times a timer chain must fire, with nothing driving it, to be a rogue loop. Default 5. */
  loopFires?: number;
}

/** How the recorded program stopped. */
export interface ProgramEnd {
  how: 'exit' | 'crash' | 'signal' | 'killed';
  seq: number;
  t: number;
  detail: string;
}

/** What every detector reads. */
export interface Context {
  world: World;
  /** Null when the recording has no task tree (`record --no-promises`). */
  tasks: TaskTable | null;
  names: Namer;
  options: Required<AnalyzeOptions>;
  end: ProgramEnd;
  /** The last seq and time of the recording. */
  lastSeq: number;
  lastT: number;
}

/** A finding with the fields every detector fills the same way. */
export function finding(kind: FindingKind, severity: Severity, fields: Omit<Finding, 'kind' | 'severity'>): Finding {
  return { kind, severity, ...fields };
}

/** Milliseconds, rounded for people. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** `40 ms`, `1.25 s`. */
export function duration(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
