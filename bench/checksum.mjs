#!/usr/bin/env node
// What the recording's checksums cost (format 3): a 1M-event recording (900k task-hook records in
// 2 MB chunks, 100k rich events), written and read back in full. Each side is timed as a whole,
// and the checksum work inside it is timed on the same rows, the way the writer and reader do it
// (one checksum per write group of events, one per hook chunk), so the share is measured within
// one run on one (noisy) machine. Prints a table and one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HookBuffer, RecordingReader, RecordingWriter } from '../packages/recording/dist/index.js';
import { chunkCrc, GroupCrc, seqsCrc } from '../packages/recording/dist/checksum.js';
import { GROUP_ROWS } from '../packages/recording/dist/schema.js';
import { eventData } from '../packages/recording/dist/writer.js';

const HOOKS = 900_000;
const RICH = 100_000;
const PER_CHUNK = 65_536; // 2 MB of 32-byte records
const BATCH = 10_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-checksum-'));
const file = path.join(dir, 'million.tape');
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

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

let start = process.hrtime.bigint();
const writer = RecordingWriter.create(file);
for (const f of flushes) writer.write(f.events, f.chunks, [[1, 'PROMISE']]);
writer.close();
const writeMs = ms(start);

// The checksum work the writer did, alone (eventData is the row's JSON, built with or without it).
const groups = flushes.map((f) => f.events.map((e) => ({ seq: e.seq, t: e.t, kind: e.kind, task: e.task, scope: e.scope, process: e.process, data: eventData(e) })));
start = process.hrtime.bigint();
let sink = 0;
for (const [i, rows] of groups.entries()) {
  // Each write group's rows as one checksum, as the writer splits them.
  for (let from = 0; from === 0 || from < rows.length; from += GROUP_ROWS) {
    const sum = new GroupCrc();
    for (let r = from; r < Math.min(rows.length, from + GROUP_ROWS); r++) sum.add(rows[r]);
    sink ^= sum.digest();
  }
  const chunks = flushes[i].chunks;
  for (const c of chunks) sink ^= chunkCrc(c.firstSeq, c.lastSeq, c.count, i + 1, c.data);
  sink ^= seqsCrc(chunks.map((c) => c.firstSeq));
}
const crcMs = ms(start);

start = process.hrtime.bigint();
const reader = RecordingReader.open(file);
let events = 0;
for (const _ of reader.events()) events++;
reader.close();
const readMs = ms(start);

const size = fs.statSync(file).size;
fs.rmSync(dir, { recursive: true, force: true });
const result = {
  events, sizeMB: +(size / 1e6).toFixed(1), writeMs: Math.round(writeMs), readMs: Math.round(readMs), checksumMs: Math.round(crcMs),
  writeShare: +((crcMs / writeMs) * 100).toFixed(2), readShare: +((crcMs / readMs) * 100).toFixed(2), sink: sink !== 0,
};
console.log(`events            ${events} (${HOOKS} task hooks in ${Math.ceil(HOOKS / PER_CHUNK)} chunks, ${RICH} rich events), ${result.sizeMB} MB`);
console.log(`write all         ${result.writeMs} ms   checksums inside: ${result.checksumMs} ms = ${result.writeShare}%`);
console.log(`read all, checked ${result.readMs} ms   checksums inside: ${result.checksumMs} ms = ${result.readShare}%`);
console.log(JSON.stringify({ bench: 'checksum', ...result }));
