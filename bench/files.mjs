#!/usr/bin/env node
// Cost of file capture in `looptape record`, on a program that writes 1,000 small files and
// reads them back (examples/files/many.mjs): the program's CPU from its first write to its last
// read, plain / recorded without file capture / recorded with it (both --no-promises, so that
// the task hooks do not hide the capture's own cost), and the bytes file capture adds to the
// recording (its events and the `files` table). Medians of interleaved repeats.
// Prints a table, then one JSON line. Build first: npx tsc -b packages/cli
//   node bench/files.mjs [--files N] [--reps R]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REGISTER = path.join(ROOT, 'packages/recorder/dist/register.js');
const PROGRAM = path.join(ROOT, 'examples/files/many.mjs');
const Database = createRequire(path.join(ROOT, 'packages/recording/package.json'))('better-sqlite3');

const { values } = parseArgs({ options: { files: { type: 'string', default: '1000' }, reps: { type: 'string', default: '5' } } });
const FILES = Number(values.files);
const REPS = Number(values.reps);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-files-'));

/** One run of the program; `record` is the recorder's options, or undefined for a plain run. */
function once(record, n) {
  const out = path.join(dir, `${n}.tape`);
  const env = { ...process.env, FILES: String(FILES) };
  const argv = [PROGRAM];
  if (record) {
    env.LOOPTAPE_RECORD = JSON.stringify({ out, promises: false, ...record });
    argv.unshift(`--import=${REGISTER}`);
  }
  const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`many.mjs exited ${r.status}: ${r.stderr}`);
  const { cpuMs } = JSON.parse(r.stdout.trim().split('\n').at(-1));
  return { cpuMs, ...(record ? sizes(out) : {}) };
}

/** The recording's size, and what its file events and contents take. */
function sizes(file) {
  const db = new Database(file, { readonly: true });
  const events = db.prepare("SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM events WHERE kind IN ('fs.read', 'fs.write')").get();
  const contents = db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS bytes FROM files').get();
  db.close();
  return { fileBytes: fs.statSync(file).size, fsEvents: events.n, fsEventBytes: events.bytes, contents: contents.n, contentBytes: contents.bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { plain: [], noCapture: [], capture: [] };
let n = 0;
for (let rep = 0; rep < REPS; rep++) {
  runs.plain.push(once(undefined, n++));
  runs.noCapture.push(once({ files: false }, n++));
  runs.capture.push(once({ files: true }, n++));
}
fs.rmSync(dir, { recursive: true, force: true });

const cpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((r) => r.cpuMs))]));
const last = runs.capture.at(-1);
const result = {
  files: FILES, reps: REPS, cpuMs: cpu,
  captureOverCapture0: +(cpu.capture / cpu.noCapture).toFixed(2),
  captureOverPlain: +(cpu.capture / cpu.plain).toFixed(2),
  captureCpuPerCallUs: +(((cpu.capture - cpu.noCapture) * 1000) / (last.fsEvents || 1)).toFixed(1),
  addedBytes: median(runs.capture.map((r) => r.fileBytes)) - median(runs.noCapture.map((r) => r.fileBytes)),
  fsEvents: last.fsEvents, fsEventBytes: last.fsEventBytes, contents: last.contents, contentBytes: last.contentBytes,
};
console.log(`file capture on ${FILES} files written and read back (CPU of the program's file work, median of ${REPS}):`);
console.log(`  plain                         ${cpu.plain.toFixed(0)} ms`);
console.log(`  recorded, no file capture     ${cpu.noCapture.toFixed(0)} ms`);
console.log(`  recorded, file capture        ${cpu.capture.toFixed(0)} ms  (${result.captureOverCapture0}x without capture, ${result.captureCpuPerCallUs} µs per call)`);
console.log(`  added to the recording        ${(result.addedBytes / 1024).toFixed(0)} kB: ${result.fsEvents} fs events (${(result.fsEventBytes / 1024).toFixed(0)} kB), ${result.contents} contents (${(result.contentBytes / 1024).toFixed(0)} kB compressed)`);
console.log(JSON.stringify(result));
