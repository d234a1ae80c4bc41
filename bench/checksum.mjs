#!/usr/bin/env node
// What the recording's checksums cost (format 3): a 1M-event recording (900k task-hook records in
// 2 MB chunks, 100k rich events), written and read back in full.
// - Writing: the real writer against the same writes without any checksum work (same schema,
//   statements, transactions and write groups; `data` bound as a string), alternated ROUNDS
//   times in this one run; the share is the difference of the medians over the writer's median.
// - Reading: the whole read, checked, against the checksum work a reader does on the same rows
//   (each group's rows as read, each chunk), timed alone.
// Times are CPU times (ms of user + system) of this process.
// Prints a table and one JSON line.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HookBuffer, RecordingReader, RecordingWriter } from '../packages/recording/dist/index.js';
import { chunkCrc, GroupCrc, seqsCrc } from '../packages/recording/dist/checksum.js';
import { GROUP_ROWS, SCHEMA } from '../packages/recording/dist/schema.js';
import { eventData } from '../packages/recording/dist/writer.js';

const Database = createRequire(fileURLToPath(new URL('../packages/recording/package.json', import.meta.url)))('better-sqlite3');
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const HOOKS = 900_000;
const RICH = 100_000;
const PER_CHUNK = 65_536; // 2 MB of 32-byte records
const BATCH = 10_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-checksum-'));
const file = path.join(dir, 'million.tape');
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
/**
 * CPU time (user + system) of `fn`, in ms: on a loaded machine the wall time of the same write
 * varied by half from run to run, the CPU time it took much less.
 */
function cpuMs(fn) {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function richEvent(seq) {
  const n = seq % 4;
  if (n === 0) return { seq, t: seq / 100, kind: 'timer.set', task: seq, scope: 1, process: 0, timer: seq, resource: seq, api: 'setTimeout', delay: 50, repeat: false, internal: false, site: 'app.mjs:14:3' };
  if (n === 1) return { seq, t: seq / 100, kind: 'console', task: seq, scope: null, process: 0, stream: 'stdout', text: `served request ${seq} in 12 ms\n` };
  if (n === 2) return { seq, t: seq / 100, kind: 'nondet', task: seq, scope: 1, process: 0, source: 'Math.random', value: 0.123456789, site: 'app.mjs:20:7' };
  return { seq, t: seq / 100, kind: 'http.request', task: seq, scope: 1, process: 0, exchange: seq, direction: 'out', method: 'GET', url: `http://127.0.0.1:4000/price?item=${seq}`, headers: { accept: '*/*' }, body: '' };
}

// The same stream in both measurements: hooks in chunks, one rich event every 10 seqs.
const flushes = [];
let seq = 0;
let hooks = new HookBuffer(PER_CHUNK);
let rich = [];
let chunks = [];
while (seq < HOOKS + RICH) {
  seq++;
  if (seq % 10 === 0) rich.push(richEvent(seq));
  else {
    hooks.push(seq, seq / 100, seq % 5, 1, seq, seq - 1, seq - 2, 1);
    if (hooks.full) {
      chunks.push({ firstSeq: hooks.firstSeq(), lastSeq: hooks.lastSeq(), count: hooks.length, data: hooks.take() });
    }
  }
  if (rich.length === BATCH || seq === HOOKS + RICH) {
    if (hooks.length > 0 && seq === HOOKS + RICH) chunks.push({ firstSeq: hooks.firstSeq(), lastSeq: hooks.lastSeq(), count: hooks.length, data: hooks.take() });
    flushes.push({ events: rich, chunks });
    rich = [];
    chunks = [];
  }
}

/** The real writer: checksums included. */
function writeChecked(to) {
  const writer = RecordingWriter.create(to);
  for (const f of flushes) writer.write(f.events, f.chunks, [[1, 'PROMISE']]);
  writer.close();
}

/** The same writes with no checksum work: what the writer would cost without them. */
function writeBare(to) {
  const db = new Database(to);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  db.pragma('application_id = 1280590160');
  db.pragma('user_version = 3');
  db.exec(SCHEMA);
  // The meta rows the writer writes when it opens and closes, each in its own transaction.
  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (const [key, value] of [['formatVersion', '3'], ['minReaderVersion', '3'], ['complete', 'false']]) meta.run(key, value);
  })();
  const event = db.prepare('INSERT INTO events (seq, t, kind, task, scope, process, data, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const chunk = db.prepare('INSERT INTO hook_chunks (first_seq, last_seq, count, data, grp, crc) VALUES (?, ?, ?, ?, ?, 0)');
  const flush = db.prepare('INSERT INTO flushes (id, events, events_crc, chunks, chunks_crc, first_seq, last_seq) VALUES (?, ?, 0, ?, 0, ?, ?)');
  const type = db.prepare('INSERT OR REPLACE INTO async_types (code, name, crc) VALUES (?, ?, 0)');
  let grp = 0;
  for (const f of flushes) {
    db.transaction(() => {
      type.run(1, 'PROMISE');
      for (let from = 0; from === 0 || from < f.events.length; from += GROUP_ROWS) {
        const group = f.events.slice(from, from + GROUP_ROWS);
        grp++;
        const chunks = from === 0 ? f.chunks : [];
        for (const c of chunks) chunk.run(c.firstSeq, c.lastSeq, c.count, Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength), grp);
        for (const e of group) event.run(e.seq, e.t, e.kind, e.task, e.scope, e.process, eventData(e), grp);
        flush.run(grp, group.length, chunks.length, group[0]?.seq ?? null, group.at(-1)?.seq ?? null);
      }
    })();
  }
  db.transaction(() => meta.run('complete', 'true'))();
  db.close();
}

function timed(write) {
  fs.rmSync(file, { force: true });
  return cpuMs(() => write(file));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const checkedMs = [];
const bareMs = [];
for (let round = 0; round < ROUNDS; round++) {
  bareMs.push(timed(writeBare));
  checkedMs.push(timed(writeChecked));
}
const writeMs = median(checkedMs);
const writeBareMs = median(bareMs);

// The reader's checksum work on the same rows: each group's rows as read back, each chunk.
const groups = flushes.map((f) => f.events.map((e) => ({ seq: e.seq, t: e.t, kind: e.kind, task: e.task, scope: e.scope, process: e.process, data: eventData(e) })));
let sink = 0;
function readerChecks() {
  for (const [i, rows] of groups.entries()) {
    for (let from = 0; from === 0 || from < rows.length; from += GROUP_ROWS) {
      const sum = new GroupCrc();
      for (let r = from; r < Math.min(rows.length, from + GROUP_ROWS); r++) sum.add(rows[r], rows[r].data);
      sink ^= sum.digest();
    }
    const chunks = flushes[i].chunks;
    for (const c of chunks) sink ^= chunkCrc(c.firstSeq, c.lastSeq, c.count, i + 1, c.data);
    sink ^= seqsCrc(chunks.map((c) => c.firstSeq));
  }
}
const crcRuns = [];
for (let round = 0; round < ROUNDS; round++) crcRuns.push(cpuMs(readerChecks));
const crcMs = median(crcRuns);

const readRuns = [];
let events = 0;
for (let round = 0; round < 3; round++) {
  readRuns.push(cpuMs(() => {
    const reader = RecordingReader.open(file);
    events = 0;
    for (const _ of reader.events()) events++;
    reader.close();
  }));
}
const readMs = median(readRuns);

const size = fs.statSync(file).size;
fs.rmSync(dir, { recursive: true, force: true });
const share = (part, whole) => +((part / whole) * 100).toFixed(2);
const result = {
  events, sizeMB: +(size / 1e6).toFixed(1), rounds: ROUNDS, writeMs: Math.round(writeMs), writeBareMs: Math.round(writeBareMs),
  writeShare: share(writeMs - writeBareMs, writeMs), readMs: Math.round(readMs), readChecksumMs: Math.round(crcMs), readShare: share(crcMs, readMs), sink: sink !== 0,
};
console.log(`events            ${events} (${HOOKS} task hooks in ${Math.ceil(HOOKS / PER_CHUNK)} chunks, ${RICH} rich events), ${result.sizeMB} MB`);
console.log(`write, checked    ${result.writeMs} ms   without checksum work: ${result.writeBareMs} ms   cost ${result.writeShare}% (CPU ms, medians of ${ROUNDS}, alternated)`);
console.log(`   all runs       checked ${checkedMs.map(Math.round).join(' ')}   without ${bareMs.map(Math.round).join(' ')}`);
console.log(`read all, checked ${result.readMs} ms   the checks' work alone: ${result.readChecksumMs} ms = ${result.readShare}%`);
console.log(JSON.stringify({ bench: 'checksum', ...result }));
