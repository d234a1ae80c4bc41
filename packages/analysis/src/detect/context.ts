import type { Finding, FindingKind, Severity } from '../findings.js';
import type { Namer } from '../model/paths.js';
import type { AnalysisTasks } from '../model/tasks.js';
import type { World } from '../model/world.js';

/** Thresholds of the analysis. */
export interface AnalyzeOptions {
  /** A request that took at least this long (ms) gets a slow-request finding (info). Default 1000; 0 reports every request. */
  slowMs?: number;
  /** How many times a timer chain must fire, with nothing driving it, to be a rogue loop. Default 5. */
  loopFires?: number;
  /** A callback that ran synchronously this long (ms) or longer is a blocked-loop finding. Default 50. */
  blockMs?: number;
  /** More outbound calls than this from one site in flight at once is an unbounded-fanout finding. Default 32. */
  fanout?: number;
}

/** How the recorded program stopped. */
export interface ProgramEnd {
  how: 'exit' | 'crash' | 'signal' | 'killed';
  seq: number;
  t: number;
  detail: string;
  /**
   * At an exit: the handles still keeping the event loop alive (stdio left out), as Node listed
   * them; null when the recording does not say. Node ends by itself only once none is left, so a
   * non-empty list means the program called process.exit() (see exitedOnPurpose).
   */
  held: string[] | null;
}

/** The program called process.exit() with work still scheduled: what was open then was cut off on purpose. */
export function exitedOnPurpose(end: ProgramEnd): boolean {
  return end.how === 'exit' && end.held !== null && end.held.length > 0;
}

/**
 * The program ended because nothing was left to do: timers still armed then were unref'd
 * (background work by design: a cache refresher, a heartbeat).
 */
export function endedByItself(end: ProgramEnd): boolean {
  return end.how === 'exit' && end.held !== null && end.held.length === 0;
}

/** What every detector reads. */
export interface Context {
  world: World;
  /** Null when the recording has no task tree (a lean recording whose tree could not be derived). */
  tasks: AnalysisTasks | null;
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
