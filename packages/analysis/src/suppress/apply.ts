import fs from 'node:fs';
import path from 'node:path';
import type { Finding, FindingKind, Report } from '../findings.js';
import { globToRegExp, type SuppressionConfig } from './config.js';

const COMMENT = /looptape-ignore-next-line\b([^\n]*)/;

export interface SuppressOptions {
  /** Where relative locations and config globs start: the recorded program's folder. */
  cwd: string;
  config?: SuppressionConfig;
  /** Named in `suppressedBy` (default `looptape.config.json`). */
  configName?: string;
}

/**
 * Moves the findings a suppression turns off from `findings` to `suppressed`, each saying what
 * suppressed it, the way linters do: a `// looptape-ignore-next-line KIND…` comment on the line
 * above the finding's location (no kind: every kind), or the config's rules for its kind,
 * everywhere or in the files an override names.
 */
export function applySuppressions(report: Report, options: SuppressOptions): Report {
  const sources = new Map<string, string[] | null>();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [...(report.suppressed ?? [])];
  for (const f of report.findings) {
    const by = byComment(f, options.cwd, sources) ?? byConfig(f, options);
    if (by) suppressed.push({ ...f, suppressedBy: by });
    else kept.push(f);
  }
  return { ...report, findings: kept, suppressed };
}

function byComment(f: Finding, cwd: string, sources: Map<string, string[] | null>): string | null {
  const at = parseLocation(f.location, cwd);
  if (!at) return null;
  if (!sources.has(at.file)) sources.set(at.file, readLines(at.file));
  const above = sources.get(at.file)?.[at.line - 2];
  const m = above === undefined ? null : COMMENT.exec(above);
  if (!m) return null;
  const kinds = m[1].replace(/\*\/.*$/, '').split(/[\s,]+/).filter(Boolean);
  if (kinds.length > 0 && !kinds.includes(f.kind)) return null;
  return `looptape-ignore-next-line at ${path.relative(cwd, at.file) || at.file}:${at.line - 1}`;
}

function byConfig(f: Finding, options: SuppressOptions): string | null {
  const config = options.config;
  if (!config) return null;
  const name = options.configName ?? 'looptape.config.json';
  const off = (rules: Partial<Record<FindingKind, string>>) => rules[f.kind] === 'off';
  const at = parseLocation(f.location, options.cwd);
  const rel = at ? path.relative(options.cwd, at.file).split(path.sep).join('/') : null;
  const override = rel === null ? undefined : config.overrides.find((o) => off(o.rules) && o.files.some((g) => globToRegExp(g).test(rel)));
  if (override) return `${name} (overrides: ${override.files.join(', ')})`;
  return off(config.rules) ? `${name} (rules)` : null;
}

/** `file:line:col` (relative to cwd or absolute) as an absolute file and a line. */
function parseLocation(location: string | null, cwd: string): { file: string; line: number } | null {
  const m = location ? /^(.*):(\d+):\d+$/.exec(location) : null;
  if (!m) return null;
  const file = m[1].replace(/^file:\/\//, '');
  return { file: path.resolve(cwd, file), line: Number(m[2]) };
}

function readLines(file: string): string[] | null {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return null; // a source we cannot read cannot carry a suppression
  }
}
