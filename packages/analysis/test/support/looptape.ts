/**
 * Helpers for the analysis' end-to-end tests, over test-support's runner of the real `looptape`
 * command: record a program, read its report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { looptape as start, ROOT } from '../../../test-support/src/cli.js';
import type { Report } from '../../src/findings.js';

export { BIN, ROOT } from '../../../test-support/src/cli.js';
export const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-report-e2e-'));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `looptape ARGS…` to the end (killed after `timeoutMs`), from `cwd` (default: the repository root). */
export async function looptape(args: string[], timeoutMs = 30_000, cwd = ROOT): Promise<Run> {
  const { code, out, err } = await start(args, { timeoutMs, cwd });
  return { code, stdout: out, stderr: err };
}

/** Records `node <program>` (a path from the repository root) and returns the recording's path. */
export async function record(program: string, flags: string[] = []): Promise<string> {
  const out = path.join(TMP, `${path.basename(program, '.mjs')}${flags.join('')}.tape`);
  const r = await looptape(['record', '--force', '--out', out, ...flags, '--', process.execPath, program]);
  if (!fs.existsSync(out)) throw new Error(`record ${program} left no recording (exit ${r.code}): ${r.stderr}`);
  return out;
}

/** `looptape report FILE --json`: its exit code and report. */
export async function report(file: string, flags: string[] = []): Promise<{ code: number | null; report: Report }> {
  const r = await looptape(['report', file, '--json', ...flags]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`report ${file} exited ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

export const fixture = (name: string) => `packages/analysis/test/fixtures/${name}.mjs`;
