#!/usr/bin/env node
// What the recording's checksums cost (format 3), on a million events, in three parts:
// - record: whole-process CPU (user + system, the `looptape record` process and the recorded
//   program together) of `looptape record -- node program.mjs`, a program that makes ~1M events
//   a lean recording keeps (timers set and fired, Date.now and Math.random draws, console lines),
//   with the checksums against without them: the "without" runs load bench/checksums-off.mjs
//   (NODE_OPTIONS=--import), which takes the checksum work out of the same looptape. Alternated
//   pairs in this one run; the share is the difference of the medians over the checked median.
// - read: whole-process CPU of `looptape events --json`, `report` and `verify` of that recording,
//   checked against unchecked (the same switch), alternated. `report` derives the lean
//   recording's task tree once first (a replay, not timed): the timed runs read it.
// - writer: the writer alone (no program, no recorder) on 900k task hooks and 100k rich events,
//   against the same writes without any checksum work (same schema, statements, transactions
//   and write groups), alternated; and the reader's checksum work on the same rows, timed alone.
// Times are CPU times, not wall times: on a loaded machine the wall time of the same work varies
// by half from run to run. Child CPU comes from /proc/self/stat (cutime + cstime, Linux).
// Prints a table and one JSON line.
//   node bench/checksum.mjs [--parts record,read,writer] [--pairs N] [--read-pairs N]
//                           [--program-rounds N] [--rounds N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HookBuffer, RecordingReader, RecordingWriter } from '../packages/recording/dist/index.js';
import { chunkCrc, GroupCrc, seqsCrc } from '../packages/recording/dist/checksum.js';
import { WriteGroups } from '../packages/recording/dist/groups.js';
import { Integrity } from '../packages/recording/dist/integrity.js';
import { GROUP_ROWS, SCHEMA } from '../packages/recording/dist/schema.js';
import { eventData } from '../packages/recording/dist/writer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const OFF = path.join(ROOT, 'bench/checksums-off.mjs');
const Database = createRequire(path.join(ROOT, 'packages/recording/package.json'))('better-sqlite3');
const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: 'record,read,writer' }, pairs: { type: 'string', default: '5' }, 'read-pairs': { type: 'string', default: '3' },
    'program-rounds': { type: 'string', default: '1430' }, rounds: { type: 'string', default: '7' },
  },
});
const PARTS = new Set(values.parts.split(','));
const PAIRS = Number(values.pairs);
const READ_PAIRS = Number(values['read-pairs']);
const PROGRAM_ROUNDS = Number(values['program-rounds']);
const ROUNDS = Number(values.rounds);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-checksum-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const share = (part, whole) => +((part / whole) * 100).toFixed(2);
const result = { bench: 'checksum', loadAverage: os.loadavg().map((l) => +l.toFixed(1)) };

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

/** CPU (ms) this process's waited-for children have used: /proc/self/stat cutime + cstime, in USER_HZ (100) ticks. */
function childrenCpuMs() {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Runs `looptape ARGS` to its end; returns the CPU it and its children took (ms). Checked: with the checksums. */
function looptape(args, { checked, cwd = dir, stdout = 'ignore' }) {
  const env = { ...process.env, NODE_OPTIONS: checked ? '' : `--import=${OFF}` };
  const before = childrenCpuMs();
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 28 });
  const cpu = childrenCpuMs() - before;
  if (run.status !== 0 && !(args[0] === 'report' && run.status === 1)) throw new Error(`looptape ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return cpu;
}

/** Alternates checked and unchecked runs of the same work; medians and the checks' share. */
function alternate(pairs, run) {
  const checked = [];
  const unchecked = [];
  for (let i = 0; i < pairs; i++) {
    unchecked.push(run(false));
    checked.push(run(true));
  }
  const [withMs, withoutMs] = [median(checked), median(unchecked)];
  return { withMs, withoutMs, share: share(withMs - withoutMs, withMs), runs: { checked, unchecked } };
}

// A program whose lean recording holds ~700 events per round: 100 timers set and fired, 500 clock
// and random draws, a console line.
const PROGRAM = `const rounds = Number(process.argv[2]);
let sum = 0;
for (let r = 0; r < rounds; r++) {
  await Promise.all(Array.from({ length: 100 }, () => new Promise((resolve) => setTimeout(() => {
    sum += (Date.now() % 7) + Math.random();
    resolve();
  }, 1))));
  for (let i = 0; i < 300; i++) sum += Date.now() % 3;
  console.log(\`round \${r} sum \${sum.toFixed(3)}\`);
}
`;
const tape = path.join(dir, 'million.tape');

function recordPart() {
  fs.writeFileSync(path.join(dir, 'program.mjs'), PROGRAM);
  const record = (checked) => looptape(['record', '--out', tape, '--force', '--', 'node', 'program.mjs', String(PROGRAM_ROUNDS)], { checked });
  const r = alternate(PAIRS, record);
  // The last run was checked: the file read below is a real one.
  const reader = RecordingReader.open(tape);
  const events = Object.values(reader.counts()).reduce((a, b) => a + b, 0);
  reader.close();
  result.record = { events, sizeMB: +(fs.statSync(tape).size / 1e6).toFixed(1), pairs: PAIRS, ...r };
  console.log(`record ${events} events (${result.record.sizeMB} MB), whole process: ${Math.round(r.withMs)} ms CPU with checksums, ${Math.round(r.withoutMs)} without: cost ${r.share}% (medians of ${PAIRS} alternated pairs)`);
  console.log(`   all runs       with ${r.runs.checked.join(' ')}   without ${r.runs.unchecked.join(' ')}`);
}

function readPart() {
  if (!fs.existsSync(tape)) throw new Error('the read part reads the record part\'s recording: run it with --parts record,read');
  // A lean recording's first report derives its task tree (a replay of the program) and keeps it in the file.
  const derive = looptape(['report', 'million.tape'], { checked: true });
  console.log(`report's first run derived the task tree: ${derive} ms CPU (not compared)`);
  const devNull = fs.openSync('/dev/null', 'w');
  result.read = { pairs: READ_PAIRS, deriveMs: derive };
  for (const [name, args] of [['events', ['events', 'million.tape', '--json']], ['report', ['report', 'million.tape']], ['verify', ['verify', 'million.tape']]]) {
    const r = alternate(READ_PAIRS, (checked) => looptape(args, { checked, stdout: devNull }));
    result.read[name] = r;
    console.log(`${name.padEnd(7)} whole process: ${Math.round(r.withMs)} ms CPU checked, ${Math.round(r.withoutMs)} unchecked: cost ${r.share}%   (runs: checked ${r.runs.checked.join(' ')}; unchecked ${r.runs.unchecked.join(' ')})`);
  }
  fs.closeSync(devNull);
  readChecksAlone(result.read.events.withMs);
}

/**
 * The reader's checks alone, in this process, on the recording's own rows (read once, as SQLite
 * gives them): every write group checked (groups.ts) against the same rows handed straight on.
 * Less noisy than the whole-process pairs: the same work, timed ROUNDS times each.
 */
function readChecksAlone(eventsMs) {
  const db = new Database(tape, { readonly: true });
  const rows = db.prepare('SELECT seq, t, kind, task, scope, process, data, grp FROM events ORDER BY seq').all();
  const groups = WriteGroups.read(db, new Integrity(tape, true, true));
  const straight = function* (it) {
    yield* it;
  };
  const count = (it) => {
    let n = 0;
    for (const _ of it) n++;
    return n;
  };
  const checked = [];
  const unchecked = [];
  for (let round = 0; round < ROUNDS; round++) {
    unchecked.push(cpuMs(() => count(straight(rows))));
    checked.push(cpuMs(() => count(groups.checked(rows, undefined))));
  }
  const sqliteMs = cpuMs(() => count(db.prepare('SELECT seq, t, kind, task, scope, process, data, grp FROM events WHERE seq >= 0 ORDER BY seq').iterate()));
  db.close();
  const checksMs = Math.round(median(checked) - median(unchecked));
  result.read.checksAlone = { rows: rows.length, checksMs, sqliteReadMs: Math.round(sqliteMs), shareOfEvents: share(checksMs, eventsMs) };
  console.log(`the checks alone  ${checksMs} ms CPU on ${rows.length} rows (medians of ${ROUNDS}), against ${Math.round(sqliteMs)} ms for SQLite to read them and ${eventsMs} ms for the whole \`events --json\`: ${result.read.checksAlone.shareOfEvents}% of it`);
}


// The writer alone: 900k task hooks in 2 MB chunks and 100k rich events (no program, no recorder).
const HOOKS = 900_000;
const RICH = 100_000;
const PER_CHUNK = 65_536; // 2 MB of 32-byte records
const BATCH = 10_000;
const file = path.join(dir, 'writer.tape');

function richEvent(seq) {
  const n = seq % 4;
  if (n === 0) return { seq, t: seq / 100, kind: 'timer.set', task: seq, scope: 1, process: 0, timer: seq, resource: seq, api: 'setTimeout', delay: 50, repeat: false, internal: false, site: 'app.mjs:14:3' };
  if (n === 1) return { seq, t: seq / 100, kind: 'console', task: seq, scope: null, process: 0, stream: 'stdout', text: `served request ${seq} in 12 ms\n` };
  if (n === 2) return { seq, t: seq / 100, kind: 'nondet', task: seq, scope: 1, process: 0, source: 'Math.random', value: 0.123456789, site: 'app.mjs:20:7' };
  return { seq, t: seq / 100, kind: 'http.request', task: seq, scope: 1, process: 0, exchange: seq, direction: 'out', method: 'GET', url: `http://127.0.0.1:4000/price?item=${seq}`, headers: { accept: '*/*' }, body: '' };
}

/** The same stream in both measurements: hooks in chunks, one rich event every 10 seqs. */
function writerStream() {
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
  return flushes;
}

/** The real writer: checksums included. */
function writeChecked(flushes, to) {
  const writer = RecordingWriter.create(to);
  for (const f of flushes) writer.write(f.events, f.chunks, [[1, 'PROMISE']]);
  writer.close();
}

/** The same writes with no checksum work: what the writer would cost without them. */
function writeBare(flushes, to) {
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

function writerPart() {
  const flushes = writerStream();
  function timed(write) {
    fs.rmSync(file, { force: true });
    return cpuMs(() => write(flushes, file));
  }
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
  result.writer = {
    events, sizeMB: +(size / 1e6).toFixed(1), rounds: ROUNDS, writeMs: Math.round(writeMs), writeBareMs: Math.round(writeBareMs),
    writeShare: share(writeMs - writeBareMs, writeMs), readMs: Math.round(readMs), readChecksumMs: Math.round(crcMs), readShare: share(crcMs, readMs), sink: sink !== 0,
  };
  const r = result.writer;
  console.log(`writer alone      ${events} events (${HOOKS} task hooks in ${Math.ceil(HOOKS / PER_CHUNK)} chunks, ${RICH} rich events), ${r.sizeMB} MB`);
  console.log(`   write, checked ${r.writeMs} ms   without checksum work: ${r.writeBareMs} ms   cost ${r.writeShare}% (CPU ms, medians of ${ROUNDS}, alternated)`);
  console.log(`   all runs       checked ${checkedMs.map(Math.round).join(' ')}   without ${bareMs.map(Math.round).join(' ')}`);
  console.log(`   read, checked  ${r.readMs} ms   the checks' work alone: ${r.readChecksumMs} ms = ${r.readShare}%`);
}

console.log(`load average ${result.loadAverage.join(' ')} (1, 5, 15 min) at the start; ${os.cpus().length} cores`);
if (PARTS.has('record')) recordPart();
if (PARTS.has('read')) readPart();
if (PARTS.has('writer')) writerPart();
result.loadAverageEnd = os.loadavg().map((l) => +l.toFixed(1));
console.log(`load average ${result.loadAverageEnd.join(' ')} at the end`);
console.log(JSON.stringify(result));
