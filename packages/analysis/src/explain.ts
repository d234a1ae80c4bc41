import { describeEvent, type LoopEvent, type RecordingReader } from '@looptape/recording';
import type { Finding, Report } from './findings.js';
import { relative } from './format.js';

/** The finding `--explain SEQ` is about: the one shown at that seq, else one whose evidence holds it. */
export function findingAt(report: Report, seq: number): Finding | null {
  const all = [...report.findings, ...(report.suppressed ?? [])];
  return all.find((f) => f.seq === seq) ?? all.find((f) => f.reason.evidence.includes(seq)) ?? null;
}

/**
 * The reasoning behind one finding, for `looptape report --explain SEQ`: what was found, the rule
 * it matched and why, what would have made it fine, and each evidence event as `events` shows it.
 */
export function explainFinding(reader: RecordingReader, f: Finding, cwd?: string): string {
  const lines = [`${f.severity} ${f.kind} (seq ${f.seq}): ${f.message}`];
  if (f.suppressedBy) lines.push(`suppressed by ${f.suppressedBy}`);
  if (f.requestLabel) lines.push(`request: ${f.requestLabel}`);
  if (f.location) lines.push(`at: ${relative(f.location, cwd)}`);
  lines.push(`path: ${f.taskPath}`, `rule: ${f.reason.rule}`, `why: ${f.reason.why}`);
  if (f.reason.fine) lines.push(`fine if: ${f.reason.fine}`);
  lines.push('evidence:');
  for (const seq of [...new Set(f.reason.evidence)].sort((a, b) => a - b)) {
    const e = eventAt(reader, seq);
    lines.push(e ? `  ${String(seq).padStart(6)}  ${e.t.toFixed(1).padStart(8)} ms  ${e.kind.padEnd(20)} ${describeEvent(e)}` : `  ${String(seq).padStart(6)}  (not in the recording)`);
  }
  return lines.join('\n');
}

function eventAt(reader: RecordingReader, seq: number): LoopEvent | undefined {
  for (const e of reader.events({ fromSeq: seq, toSeq: seq })) return e;
  return undefined;
}
