import path from 'node:path';
import { compareFindings, type Finding, type Report, type Severity } from './findings.js';

export interface FormatOptions {
  /** Shown in the heading: the recording's file name. */
  file?: string;
  /** Locations under this folder are shown relative to it (the recorded program's cwd). */
  cwd?: string;
}

/**
 * The report as text a person reads at a glance: findings grouped by request, the group with
 * the most severe finding first, each finding on one line with its location and task path
 * below; then what could not be checked.
 */
export function formatReport(report: Report, options: FormatOptions = {}): string {
  const lines = [heading(report, options.file)];
  for (const group of groups(report.findings)) {
    lines.push('', group[0].requestLabel ?? 'outside any request');
    for (const f of group) lines.push(...findingLines(f, options.cwd));
  }
  if (report.suppressed?.length) {
    lines.push('', `suppressed (${report.suppressed.length}, not counted):`);
    for (const f of report.suppressed) lines.push(`  ${f.kind.padEnd(21)}${f.message}`, `${' '.repeat(23)}by ${f.suppressedBy}${f.location ? `, at ${relative(f.location, options.cwd)}` : ''}`);
  }
  if (report.missing.length) {
    lines.push('');
    for (const m of report.missing) lines.push(`${m.partial ? 'partly checked' : 'not checked'}: ${m.kind}: ${m.reason}`);
  }
  return lines.join('\n');
}

function heading(report: Report, file?: string): string {
  const where = file ? ` in ${file}` : '';
  const n = report.findings.length;
  if (n === 0) return `no findings${where}`;
  const counts = (['error', 'warning', 'info'] as Severity[])
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${c} ${s}${c === 1 ? '' : 's'}`);
  return `${n} finding${n === 1 ? '' : 's'}${where}: ${counts.join(', ')}`;
}

function groups(findings: readonly Finding[]): Finding[][] {
  const byRequest = new Map<number | null, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const list = byRequest.get(f.request);
    if (list) list.push(f);
    else byRequest.set(f.request, [f]);
  }
  return [...byRequest.values()].sort((a, b) => compareFindings(a[0], b[0]));
}

function findingLines(f: Finding, cwd?: string): string[] {
  const pad = ' '.repeat(2 + 8 + 21);
  const out = [`  ${f.severity.padEnd(8)}${f.kind.padEnd(21)}${f.message}`];
  if (f.location) {
    const via = typeof f.evidence.via === 'string' ? ` (via ${relative(f.evidence.via, cwd)})` : '';
    const library = typeof f.evidence.inLibrary === 'string' ? ` (in a library: ${f.evidence.inLibrary})` : '';
    out.push(`${pad}at ${relative(f.location, cwd)}${via}${library}`);
  }
  out.push(`${pad}path: ${f.taskPath}${f.task !== null ? `  (task ${f.task}, seq ${f.seq})` : `  (seq ${f.seq})`}`);
  out.push(`${pad}why: ${f.reason.why} [${f.reason.rule}]`);
  if (f.reason.fine) out.push(`${pad}fine if: ${f.reason.fine}`);
  return out;
}

export function relative(location: string, cwd?: string): string {
  if (!cwd || !path.isAbsolute(location)) return location;
  const rel = path.relative(cwd, location);
  return rel.startsWith('..') ? location : rel;
}
