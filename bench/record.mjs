#!/usr/bin/env node
// Overhead of `looptape record`, measured in one run as ratios with vs without the recorder
// (absolute times on a shared machine mean little):
//   1. server CPU per request: a small node:http server (a few awaits, one setTimeout, one
//      upstream fetch per request) under a keep-alive load generator in its own process,
//      plain / recorded lean (the default) / recorded with --tree; the server reports its own CPU
//      (process.cpuUsage) from its first measured request to its last response ("steady"),
//      and to its exit ("with exit": also the recorder's last flush and close);
//   2. a promise-heavy microbenchmark (awaits in a loop; rounds of Promise.all): CPU from
//      just before its loops to its exit (so: the hooks, and writing and closing the
//      recording; not process start-up) with vs without the recorder;
//      also with async_hooks enabled and empty hooks, no recorder (what Node's own promise
//      tracking costs: the floor of a live tree);
//   3. events per second of recorder time (events / extra CPU the recorder cost) and bytes
//      per event (file size / events); a lean recording's size against a --tree one's;
//   4. deriving the task tree of a lean recording of --derive-requests requests (the first
//      `looptape report` of it replays it once), against the time recording it took.
// Set-up of the "Recording costs CPU" figures in the README.
// Configurations are interleaved and repeated; each figure is the median of its repeats.
// Prints a readable table and, last, one JSON line. Build first: npx tsc -b packages/cli
//   node bench/record.mjs [--requests N] [--warmup N] [--concurrency C] [--awaits N]
//                         [--rounds N] [--width N] [--reps R] [--derive-requests N]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const REGISTER = path.join(ROOT, 'packages/recorder/dist/register.js');
const FIXTURES = path.join(ROOT, 'packages/recorder/test/fixtures');
const Database = createRequire(path.join(ROOT, 'packages/recording/package.json'))('better-sqlite3');

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' },
    awaits: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '1000' }, width: { type: 'string', default: '1000' },
    reps: { type: 'string', default: '3' }, 'derive-requests': { type: 'string', default: '10000' },
  },
});
const [REQUESTS, WARMUP, CONCURRENCY, AWAITS, ROUNDS, WIDTH, REPS] =
  ['requests', 'warmup', 'concurrency', 'awaits', 'rounds', 'width', 'reps'].map((k) => Number(values[k]));
const DERIVE_REQUESTS = Number(values['derive-requests']);
const TARGETS = { lean: 1.1, tree: 1.5, microLean: 1.05, microTree: 4, leanSize: 0.25, eventsPerSecond: 1e6 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-record-'));
const children = new Set();

/** Kills a child and what it started (its process group). */
function kill(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs a command in its own process group to its end (killed after `timeoutMs`); resolves its code and output. */
function run(argv, { env = {}, onStdout, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => kill(child), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      onStdout?.(out);
    });
    child.stderr.on('data', (d) => { err += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, out, err });
    });
  });
}

/** The last JSON line a run printed, or an error naming the run. */
function lastJson(result, what) {
  const line = result.out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (result.code !== 0 || !line) throw new Error(`${what} failed (exit ${result.code}):\n${result.out}\n${result.err}`);
  return JSON.parse(line);
}

/** Events and size of a recording, straight from its tables (no summaries needed). */
function measureFile(file) {
  const db = new Database(file, { readonly: true });
  const rich = db.prepare('SELECT count(*) AS n FROM events').get().n;
  const hooks = db.prepare('SELECT coalesce(sum(count), 0) AS n FROM hook_chunks').get().n;
  db.close();
  return { events: rich + hooks, bytes: fs.statSync(file).size };
}

function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

// ---- 1. server CPU per request ----------------------------------------------------------

async function startUpstream() {
  const server = http.createServer((req, res) => res.end(String(100 + (req.url.length % 7))));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One server run under load; `flags` null runs it without the recorder. */
async function serverRun(upstreamUrl, flags, rep) {
  const program = [process.execPath, path.join(FIXTURES, 'bench-server.mjs'), upstreamUrl, String(WARMUP), String(REQUESTS)];
  const file = path.join(dir, `server-${rep}-${flags ? flags.join('') || 'lean' : 'plain'}.tape`);
  const argv = flags ? [process.execPath, BIN, 'record', ...flags, '--out', file, '--', ...program] : program;
  let port;
  let load;
  const server = run(argv, {
    onStdout: (out) => {
      const match = /listening (\d+)/.exec(out);
      if (match && !port) {
        port = match[1];
        load = run([process.execPath, path.join(FIXTURES, 'bench-load.mjs'), port, String(WARMUP + REQUESTS), String(CONCURRENCY)]);
      }
    },
  });
  const result = await server;
  const cpu = lastJson(result, `server ${argv.join(' ')}`);
  if (!load) throw new Error(`the server never listened: ${result.out}\n${result.err}`);
  const traffic = lastJson(await load, 'load generator');
  if (traffic.errors > 0) throw new Error(`${traffic.errors} requests failed`);
  const recording = flags ? measureFile(file) : undefined;
  if (flags) fs.rmSync(file, { force: true });
  return { steadyMs: cpu.steadyMs / REQUESTS, withExitMs: cpu.withExitMs / REQUESTS, wallMs: traffic.ms, recording };
}

// ---- 2. promise-heavy microbenchmark ------------------------------------------------------

/**
 * One microbenchmark run. The recorder is loaded as `looptape record` loads it (the same
 * preload and options), without the summaries `record` builds afterwards in its own process:
 * what is measured is the program's cost.
 */
async function microRun(shape, recorder, rep) {
  const [awaits, rounds, width] = shape === 'loop' ? [AWAITS, 0, 0] : [0, ROUNDS, WIDTH];
  const program = [path.join(FIXTURES, 'bench-promises.mjs'), String(awaits), String(rounds), String(width)];
  const file = path.join(dir, `micro-${shape}-${rep}-${recorder}.tape`);
  const env = recorder === 'plain' ? {} : recorder === 'hooks' ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${path.join(FIXTURES, 'empty-hooks.mjs')}`.trim() } : {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${REGISTER}`.trim(),
    LOOPTAPE_RECORD: JSON.stringify({ out: file, promises: recorder === 'tree', argv: ['node', ...program], recordingId: `bench-${shape}-${rep}-${recorder}` }),
  };
  const started = performance.now();
  const cpu = lastJson(await run([process.execPath, ...program], { env }), `microbenchmark ${shape} ${recorder}`);
  const wallMs = performance.now() - started;
  const recording = recorder === 'plain' || recorder === 'hooks' ? undefined : measureFile(file);
  fs.rmSync(file, { force: true });
  return { sinceStartMs: cpu.sinceStartMs, totalMs: cpu.totalMs, workMs: cpu.workMs, wallMs, recording };
}

// ---- 4. deriving the tree of a lean recording -------------------------------------------------

/**
 * Records DERIVE_REQUESTS requests lean, then times the first `looptape report` of the file,
 * which replays it once to derive the tree (its note line gives the derivation's own time).
 */
async function deriveRun(upstreamUrl) {
  const file = path.join(dir, 'derive.tape');
  const program = [process.execPath, path.join(FIXTURES, 'bench-server.mjs'), upstreamUrl, '0', String(DERIVE_REQUESTS), 'quiet'];
  let load;
  const started = performance.now();
  const recorded = run([process.execPath, BIN, 'record', '--out', file, '--', ...program], {
    timeoutMs: 1_800_000,
    onStdout: (out) => {
      const match = /listening (\d+)/.exec(out);
      if (match && !load) load = run([process.execPath, path.join(FIXTURES, 'bench-load.mjs'), match[1], String(DERIVE_REQUESTS), String(CONCURRENCY)], { timeoutMs: 1_800_000 });
    },
  });
  const result = await recorded;
  const recordMs = performance.now() - started;
  if (result.code !== 0) throw new Error(`recording ${DERIVE_REQUESTS} requests failed: ${result.err}`);
  await load;
  const bytes = fs.statSync(file).size;
  const reportStarted = performance.now();
  const report = await run([process.execPath, BIN, 'report', '--json', file], { timeoutMs: 1_800_000 });
  const reportMs = performance.now() - reportStarted;
  const derived = /derived its task tree by replaying it \((\d+) ms\)/.exec(report.err);
  if (!derived) throw new Error(`the report did not derive the tree (exit ${report.code}): ${report.err}`);
  const again = performance.now();
  await run([process.execPath, BIN, 'report', '--json', file], { timeoutMs: 1_800_000 });
  return { requests: DERIVE_REQUESTS, recordMs: Math.round(recordMs), deriveMs: Number(derived[1]), firstReportMs: Math.round(reportMs), laterReportMs: Math.round(performance.now() - again), leanBytes: bytes, withTreeBytes: fs.statSync(file).size };
}

// ---- the run -------------------------------------------------------------------------------

let derive;

const started = performance.now();
const upstream = await startUpstream();
const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;
const serverConfigs = { plain: null, lean: [], tree: ['--tree'] };
const microConfigs = ['plain', 'lean', 'tree', 'hooks'];
const server = Object.fromEntries(Object.keys(serverConfigs).map((k) => [k, []]));
const micro = { loop: Object.fromEntries(microConfigs.map((k) => [k, []])), fanout: Object.fromEntries(microConfigs.map((k) => [k, []])) };
try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, flags] of Object.entries(serverConfigs)) server[name].push(await serverRun(upstreamUrl, flags, rep));
    for (const shape of ['loop', 'fanout']) for (const config of microConfigs) micro[shape][config].push(await microRun(shape, config, rep));
  }
  if (DERIVE_REQUESTS > 0) derive = await deriveRun(upstreamUrl);
} finally {
  upstream.close();
  for (const child of children) kill(child);
  fs.rmSync(dir, { recursive: true, force: true });
}

const m = (runs, key) => median(runs.map((r) => r[key]));
const ratio = (a, b) => +(a / b).toFixed(2);
const serverSummary = {};
for (const name of Object.keys(serverConfigs)) {
  const runs = server[name];
  serverSummary[name] = {
    cpuMsPerRequest: +m(runs, 'steadyMs').toFixed(3), cpuMsPerRequestWithExit: +m(runs, 'withExitMs').toFixed(3), loadWallMs: Math.round(m(runs, 'wallMs')),
    ...(runs[0].recording ? {
      eventsPerRequest: Math.round(median(runs.map((r) => r.recording.events)) / (WARMUP + REQUESTS)),
      bytesPerRequest: Math.round(median(runs.map((r) => r.recording.bytes)) / (WARMUP + REQUESTS)),
      bytesPerEvent: +median(runs.map((r) => r.recording.bytes / r.recording.events)).toFixed(1),
    } : {}),
  };
}
const microSummary = {};
for (const shape of ['loop', 'fanout']) {
  const runs = micro[shape];
  const plainMs = m(runs.plain, 'sinceStartMs');
  microSummary[shape] = {};
  for (const config of microConfigs) {
    const cpuMs = m(runs[config], 'sinceStartMs');
    const row = {
      cpuMs: Math.round(cpuMs), ratio: ratio(cpuMs, plainMs), loopsCpuMs: Math.round(m(runs[config], 'workMs')),
      processCpuMs: Math.round(m(runs[config], 'totalMs')), wallMs: Math.round(m(runs[config], 'wallMs')),
    };
    if (config === 'lean' || config === 'tree') {
      const events = median(runs[config].map((r) => r.recording.events));
      row.events = events;
      row.bytesPerEvent = +median(runs[config].map((r) => r.recording.bytes / r.recording.events)).toFixed(1);
      // Events per second of what the recorder cost: its extra CPU over the plain run.
      if (config === 'tree') row.eventsPerSecond = Math.round(events / ((cpuMs - plainMs) / 1000));
    }
    microSummary[shape][config] = row;
  }
}
const treeEventsPerSecond = Math.min(microSummary.loop.tree.eventsPerSecond, microSummary.fanout.tree.eventsPerSecond);
const summary = {
  bench: 'record',
  machine: { cpus: os.cpus().length, load: os.loadavg().map((l) => +l.toFixed(1)), node: process.version },
  settings: { requests: REQUESTS, warmup: WARMUP, concurrency: CONCURRENCY, awaits: AWAITS, rounds: ROUNDS, width: WIDTH, reps: REPS, deriveRequests: DERIVE_REQUESTS },
  server: serverSummary,
  serverRatio: {
    lean: ratio(serverSummary.lean.cpuMsPerRequest, serverSummary.plain.cpuMsPerRequest),
    tree: ratio(serverSummary.tree.cpuMsPerRequest, serverSummary.plain.cpuMsPerRequest),
    leanWithExit: ratio(serverSummary.lean.cpuMsPerRequestWithExit, serverSummary.plain.cpuMsPerRequestWithExit),
    treeWithExit: ratio(serverSummary.tree.cpuMsPerRequestWithExit, serverSummary.plain.cpuMsPerRequestWithExit),
  },
  leanSize: ratio(serverSummary.lean.bytesPerRequest, serverSummary.tree.bytesPerRequest),
  micro: microSummary,
  derive,
  targets: TARGETS,
  met: {},
  wallSeconds: Math.round((performance.now() - started) / 1000),
};
const microWorst = (config) => Math.max(microSummary.loop[config].ratio, microSummary.fanout[config].ratio);
summary.met = {
  lean: summary.serverRatio.lean <= TARGETS.lean,
  tree: summary.serverRatio.tree <= TARGETS.tree,
  microLean: microWorst('lean') <= TARGETS.microLean,
  microTree: microWorst('tree') <= TARGETS.microTree,
  leanSize: summary.leanSize <= TARGETS.leanSize,
  eventsPerSecond: treeEventsPerSecond >= TARGETS.eventsPerSecond,
  ...(derive ? { derive: derive.deriveMs < derive.recordMs } : {}),
};

const yes = (ok) => (ok ? 'met' : 'NOT met');
const s = serverSummary;
const rows = [
  ['measure', 'plain', 'recorded lean (default)', 'recorded --tree', 'target'],
  ['server CPU ms/request (steady)', s.plain.cpuMsPerRequest, `${s.lean.cpuMsPerRequest} (${summary.serverRatio.lean}x)`, `${s.tree.cpuMsPerRequest} (${summary.serverRatio.tree}x)`, `<= ${TARGETS.lean}x / <= ${TARGETS.tree}x: ${yes(summary.met.lean)} / ${yes(summary.met.tree)}`],
  ['server CPU ms/request (with exit)', s.plain.cpuMsPerRequestWithExit, `${s.lean.cpuMsPerRequestWithExit} (${summary.serverRatio.leanWithExit}x)`, `${s.tree.cpuMsPerRequestWithExit} (${summary.serverRatio.treeWithExit}x)`, ''],
  [`load wall ms (${WARMUP}+${REQUESTS} req, c=${CONCURRENCY})`, s.plain.loadWallMs, s.lean.loadWallMs, s.tree.loadWallMs, ''],
  ['server events/request, bytes/event', '', `${s.lean.eventsPerRequest}, ${s.lean.bytesPerEvent}`, `${s.tree.eventsPerRequest}, ${s.tree.bytesPerEvent}`, ''],
  ['server bytes/request (lean / tree)', '', `${s.lean.bytesPerRequest} (${summary.leanSize} of --tree)`, s.tree.bytesPerRequest, `<= ${TARGETS.leanSize}: ${yes(summary.met.leanSize)}`],
];
for (const [shape, label] of [['loop', `${AWAITS} awaits in a loop`], ['fanout', `${ROUNDS} x Promise.all of ${WIDTH}`]]) {
  const r = microSummary[shape];
  rows.push([`micro: ${label}, CPU ms`, r.plain.cpuMs, `${r.lean.cpuMs} (${r.lean.ratio}x)`, `${r.tree.cpuMs} (${r.tree.ratio}x)`, `<= ${TARGETS.microLean}x / <= ${TARGETS.microTree}x: ${yes(r.lean.ratio <= TARGETS.microLean)} / ${yes(r.tree.ratio <= TARGETS.microTree)}`]);
  rows.push([`  loops alone / whole process, CPU ms`, `${r.plain.loopsCpuMs} / ${r.plain.processCpuMs}`, `${r.lean.loopsCpuMs} / ${r.lean.processCpuMs}`, `${r.tree.loopsCpuMs} / ${r.tree.processCpuMs}`, '']);
  rows.push([`  events, bytes/event`, '', `${r.lean.events}, ${r.lean.bytesPerEvent}`, `${r.tree.events}, ${r.tree.bytesPerEvent}`, '']);
  rows.push([`  events/s of recorder CPU`, '', '', r.tree.eventsPerSecond, `>= ${TARGETS.eventsPerSecond}: ${yes(r.tree.eventsPerSecond >= TARGETS.eventsPerSecond)}`]);
  rows.push([`  no recorder, async_hooks on with empty hooks: ${r.hooks.cpuMs} CPU ms (${r.hooks.ratio}x)`, '', '', '', '']);
}
if (derive) {
  rows.push([`derive the tree of ${derive.requests} requests (ms)`, '', `${derive.deriveMs} (recording took ${derive.recordMs} wall)`, '', `< recording: ${yes(summary.met.derive)}`]);
  rows.push(['  first / later report (ms), file before / after (bytes)', '', `${derive.firstReportMs} / ${derive.laterReportMs}, ${derive.leanBytes} / ${derive.withTreeBytes}`, '', '']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log(rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd()).join('\n'));
console.log(`(medians of ${REPS} runs each; machine: ${summary.machine.cpus} CPUs, load ${summary.machine.load.join(' ')}; ${summary.wallSeconds} s)`);
console.log(JSON.stringify(summary));
