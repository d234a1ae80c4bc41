#!/usr/bin/env node
// Precision and recall of `looptape report`: records every program of the correct corpus
// (examples/correct, the fixed example servers: any finding there is a false alarm) and every
// program with a known async bug (examples/scripts, the report fixtures, the buggy example
// servers: each expected kind found is a hit), runs `report --json` on each, and prints a table
// and, last, one JSON line.
//   precision = expected findings / all findings;  recall = expected kinds found / expected kinds
//   node bench/precision.mjs [--only SUBSTRING]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runExample } from '../examples/harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const FIXTURES = 'packages/analysis/test/fixtures';

/** Programs with a known bug, and the finding kinds that bug must show as. */
const BUGGY = {
  'examples/scripts/kept-alive.mjs': ['leaked-handle'],
  'examples/scripts/lost-result.mjs': ['floating-promise'],
  'examples/scripts/unhandled-rejection.mjs': ['unhandled-rejection'],
  'examples/scripts/swallowed-error.mjs': ['swallowed-error'],
  'examples/scripts/blocked-loop.mjs': ['blocked-loop'],
  'examples/scripts/unbounded-fanout.mjs': ['unbounded-fanout'],
  [`${FIXTURES}/orphan-server.mjs`]: ['orphaned-task'],
  [`${FIXTURES}/rogue-loop-server.mjs`]: ['rogue-loop'],
  [`${FIXTURES}/rogue-loop-script.mjs`]: ['rogue-loop'],
  [`${FIXTURES}/unanswered-server.mjs`]: ['unanswered-request'],
  [`${FIXTURES}/uncaught-server.mjs`]: ['uncaught-error'],
  [`${FIXTURES}/uncaught-script.mjs`]: ['uncaught-error'],
  'examples/fire-and-forget/server.mjs': ['floating-promise', 'unhandled-rejection'],
  'examples/timeout-race/server.mjs': ['orphaned-task'],
};
const CORRECT = [
  ...fs.readdirSync(path.join(ROOT, 'examples/correct')).filter((f) => f.endsWith('.mjs')).map((f) => `examples/correct/${f}`),
  ...['price-race', 'double-book', 'timeout-race', 'fire-and-forget'].map((name) => `examples/${name}/server.fixed.mjs`),
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-precision-'));

/** Records `program` (an example server through its harness, anything else on its own) and reports on it. */
async function findings(program) {
  const tape = path.join(dir, `${program.replace(/[/.]/g, '_')}.tape`);
  const record = [process.execPath, BIN, 'record', '--force', '--out', tape, '--', process.execPath, path.join(ROOT, program)];
  const example = /^examples\/([^/]+)\/server(\.fixed)?\.mjs$/.exec(program);
  if (example) await runExample(example[1], { app: record, cwd: ROOT });
  else spawnSync(record[0], record.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const run = spawnSync(process.execPath, [BIN, 'report', tape, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`report on ${program} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout).findings.filter((f) => f.severity !== 'info').map((f) => f.kind);
}

try {
  const rows = [];
  const wanted = (p) => !values.only || p.includes(values.only);
  for (const program of CORRECT.filter(wanted)) rows.push({ program, expected: [], found: await findings(program) });
  for (const [program, expected] of Object.entries(BUGGY).filter(([p]) => wanted(p))) rows.push({ program, expected, found: await findings(program) });
  let all = 0, expectedFound = 0, kinds = 0, hits = 0;
  for (const row of rows) {
    all += row.found.length;
    expectedFound += row.found.filter((k) => row.expected.includes(k)).length;
    kinds += row.expected.length;
    hits += row.expected.filter((k) => row.found.includes(k)).length;
    row.ok = row.expected.every((k) => row.found.includes(k)) && row.found.every((k) => row.expected.includes(k));
  }
  const width = Math.max(...rows.map((r) => r.program.length));
  console.log(`${'program'.padEnd(width)}  ${'expected'.padEnd(36)}  found`);
  for (const r of rows) console.log(`${r.program.padEnd(width)}  ${(r.expected.join(', ') || '-').padEnd(36)}  ${r.found.join(', ') || '-'}${r.ok ? '' : '   <-- differs'}`);
  const correct = rows.filter((r) => r.expected.length === 0);
  const summary = {
    bench: 'report.precision', correctPrograms: correct.length, falseAlarmsOnCorrect: correct.reduce((a, r) => a + r.found.length, 0),
    buggyPrograms: rows.length - correct.length, findings: all, expectedFindings: expectedFound, expectedKinds: kinds, kindsFound: hits,
    precision: all ? +(expectedFound / all).toFixed(3) : 1, recall: kinds ? +(hits / kinds).toFixed(3) : 1,
  };
  console.log(`\nprecision ${summary.precision} (${expectedFound} of ${all} findings expected; ${summary.falseAlarmsOnCorrect} on ${correct.length} correct programs)`);
  console.log(`recall    ${summary.recall} (${hits} of ${kinds} expected kinds found in ${summary.buggyPrograms} buggy programs)`);
  console.log(JSON.stringify(summary));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
