// Runs the real looptape CLI in child processes, for the end-to-end tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../src/findings.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
export const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-report-e2e-'));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function looptape(args: string[], timeout = 30_000, cwd = ROOT): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Records `node <program>` (a path from the repository root) and returns the recording's path. */
export function record(program: string, flags: string[] = []): string {
  const out = path.join(TMP, `${path.basename(program, '.mjs')}${flags.join('')}.tape`);
  const r = looptape(['record', '--force', '--out', out, ...flags, '--', process.execPath, program]);
  if (!fs.existsSync(out)) throw new Error(`record ${program} left no recording (exit ${r.code}): ${r.stderr}`);
  return out;
}

/** `looptape report FILE --json`: its exit code and report. */
export function report(file: string, flags: string[] = []): { code: number | null; report: Report } {
  const r = looptape(['report', file, '--json', ...flags]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`report ${file} exited ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

export const fixture = (name: string) => `packages/analysis/test/fixtures/${name}.mjs`;
