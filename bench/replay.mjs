#!/usr/bin/env node
// Benchmark of `looptape replay` on a program that mostly waits: eight sequential calls to
// an upstream stub that answers in 200–500 ms, each followed by a 350 ms setTimeout — over
// 5 s of recorded time and almost no CPU. It is recorded once, then replayed R times.
//
// Reported (ratios, not absolute times: the machine is shared):
// - speed-up: recorded duration (meta durationMs) / replay wall time, where replay wall time
//   is `wallMs` of `replay --json` (first delivery to the end) and, separately, the whole
//   `looptape replay` command (process start-up included);
// - CPU: replay CPU / recorded CPU, measured two ways —
//   program: process.cpuUsage() of the program's own process (user + system), written at its
//     'exit' by a probe preloaded with NODE_OPTIONS=--import (it sees the recorder or the
//     replayer at work in that process, not the looptape CLI around it);
//   command: user + system of the whole `looptape record|replay` command and its children,
//     from /usr/bin/time -f (CLI start-up included; skipped when /usr/bin/time is missing).
// A plain run of the program (no looptape) gives the baseline for the recorder's cost.
//
// Prints a readable table and, last, one JSON line.
//   node bench/replay.mjs [--runs R]          (after `npx tsc -b packages/cli`)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const LATENCIES = [200, 500, 300, 450, 250, 400, 350, 200];
const PAUSE_MS = 350;
const TARGET_SPEEDUP = 20;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);

const PROGRAM = `// Waits: sequential upstream calls, each followed by a pause.
const base = process.env.UPSTREAM_URL;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let total = 0;
for (let i = 0; i < ${LATENCIES.length}; i++) {
  const res = await fetch(\`\${base}/step?i=\${i}\`);
  total += (await res.json()).n;
  await sleep(${PAUSE_MS});
}
console.log(\`total \${total}\`);
`;

// Loaded into every node process of a run; reports only the program's own process.
const PROBE = `import fs from 'node:fs';
const out = process.env.BENCH_CPU_OUT;
if (out && process.argv[1] && process.argv[1].endsWith('waiter.mjs')) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    fs.appendFileSync(out, JSON.stringify({ cpuMs: (u.user + u.system) / 1000, uptimeMs: process.uptime() * 1000 }) + '\\n');
  });
}
`;

/** The upstream stub, in this process: /step?i=N answers {n: N} after LATENCIES[N] ms. */
function startStub() {
  const timers = new Set();
  const server = http.createServer((req, res) => {
    const i = Number(new URL(req.url, 'http://stub').searchParams.get('i') ?? 0);
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: i + 1 }));
    }, LATENCIES[i] ?? 200);
    timers.add(timer);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => {
          for (const t of timers) clearTimeout(t);
          server.close(done);
          server.closeAllConnections();
        }),
      }),
    ),
  );
}

/** Runs argv (under /usr/bin/time when present); resolves exit code, output, wall ms, command CPU ms. */
function run(argv, env) {
  const timeFile = path.join(dir, `time-${process.hrtime.bigint()}.txt`);
  const full = TIME ? [TIME, '-f', '%U %S', '-o', timeFile, ...argv] : argv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(full[0], full.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      const wallMs = performance.now() - started;
      let commandCpuMs;
      if (TIME && fs.existsSync(timeFile)) {
        const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        commandCpuMs = (user + sys) * 1000;
      }
      resolve({ code, stdout, stderr, wallMs, commandCpuMs });
    });
  });
}

/** Runs argv with the CPU probe; adds the program process's CPU (programCpuMs). */
async function measured(argv, env = {}) {
  const cpuFile = path.join(dir, `cpu-${process.hrtime.bigint()}.jsonl`);
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import=${path.join(dir, 'probe.mjs')}`.trim();
  const r = await run(argv, { ...env, NODE_OPTIONS: nodeOptions, BENCH_CPU_OUT: cpuFile });
  const probes = fs.existsSync(cpuFile) ? fs.readFileSync(cpuFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  if (probes.length !== 1) throw new Error(`expected one probe of the program process, got ${probes.length}: ${r.stderr}`);
  return { ...r, programCpuMs: probes[0].cpuMs, programMs: probes[0].uptimeMs };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100);
const ms = (x) => (x === undefined || x === null ? '-' : `${Math.round(x)} ms`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
try {
  const program = path.join(dir, 'waiter.mjs');
  const tape = path.join(dir, 'waiter.tape');
  fs.writeFileSync(program, PROGRAM);
  fs.writeFileSync(path.join(dir, 'probe.mjs'), PROBE);

  const stub = await startStub();
  let plain;
  let recorded;
  try {
    plain = await measured([process.execPath, program], { UPSTREAM_URL: stub.url });
    recorded = await measured([process.execPath, BIN, 'record', '--force', '--out', tape, '--', process.execPath, program], { UPSTREAM_URL: stub.url });
  } finally {
    await stub.close();
  }
  if (recorded.code !== 0 || !/^total 36$/m.test(recorded.stdout)) throw new Error(`the recorded run failed (exit ${recorded.code}): ${recorded.stdout}${recorded.stderr}`);
  const ls = await run([process.execPath, BIN, 'ls', dir, '--json'], {});
  const meta = JSON.parse(ls.stdout.trim().split('\n')[0]);
  const recordedMs = meta.durationMs;
  if (typeof recordedMs !== 'number') throw new Error(`no durationMs in looptape ls: ${ls.stdout}`);

  // The stub is closed: replays are offline.
  const replays = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measured([process.execPath, BIN, 'replay', tape, '--json']);
    const result = JSON.parse(r.stdout);
    if (r.code !== 0 || !result.ok) throw new Error(`replay ${i + 1} did not match (exit ${r.code}): ${result.divergence?.message ?? r.stderr}`);
    replays.push({ wallMs: result.wallMs, virtualMs: result.virtualMs, processMs: r.wallMs, programMs: r.programMs, programCpuMs: r.programCpuMs, commandCpuMs: r.commandCpuMs, streamHash: result.streamHash });
  }

  const replay = {
    wallMs: median(replays.map((r) => r.wallMs)),
    processMs: median(replays.map((r) => r.processMs)),
    programMs: median(replays.map((r) => r.programMs)),
    programCpuMs: median(replays.map((r) => r.programCpuMs)),
    commandCpuMs: TIME ? median(replays.map((r) => r.commandCpuMs)) : undefined,
    virtualMs: replays[0].virtualMs,
  };
  const summary = {
    bench: 'replay',
    runs: RUNS,
    program: `${LATENCIES.length} sequential upstream calls (${LATENCIES.join('/')} ms) each followed by setTimeout(${PAUSE_MS})`,
    recordedMs: Math.round(recordedMs),
    plain: { processMs: Math.round(plain.wallMs), programCpuMs: Math.round(plain.programCpuMs), commandCpuMs: plain.commandCpuMs && Math.round(plain.commandCpuMs) },
    record: { processMs: Math.round(recorded.wallMs), programCpuMs: Math.round(recorded.programCpuMs), commandCpuMs: recorded.commandCpuMs && Math.round(recorded.commandCpuMs) },
    replay: { wallMs: replay.wallMs, programProcessMs: Math.round(replay.programMs), processMs: Math.round(replay.processMs), programCpuMs: Math.round(replay.programCpuMs), commandCpuMs: replay.commandCpuMs && Math.round(replay.commandCpuMs), virtualMs: Math.round(replay.virtualMs) },
    speedup: { deliveries: ratio(recordedMs, replay.wallMs), wholeCommand: ratio(recordedMs, replay.processMs), target: TARGET_SPEEDUP },
    cpuRatio: { program: ratio(replay.programCpuMs, recorded.programCpuMs), command: ratio(replay.commandCpuMs, recorded.commandCpuMs) },
    recorderCpuOverPlain: ratio(recorded.programCpuMs, plain.programCpuMs),
    sameStreamEveryRun: new Set(replays.map((r) => r.streamHash)).size === 1,
    meetsTarget: ratio(recordedMs, replay.wallMs) >= TARGET_SPEEDUP,
  };

  const rows = [
    ['', 'wall', 'program CPU', 'command CPU'],
    ['plain run (no looptape)', ms(plain.wallMs), ms(plain.programCpuMs), ms(plain.commandCpuMs)],
    ['recorded run', `${ms(recordedMs)} (program)`, ms(recorded.programCpuMs), ms(recorded.commandCpuMs)],
    [`replay, median of ${RUNS}`, `${ms(replay.wallMs)} (deliveries), ${ms(replay.programMs)} (program process), ${ms(replay.processMs)} (command)`, ms(replay.programCpuMs), ms(replay.commandCpuMs)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`replay benchmark: ${summary.program}`);
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(`speed-up: ${summary.speedup.deliveries}x from first delivery to end (target ${TARGET_SPEEDUP}x: ${summary.meetsTarget ? 'met' : 'NOT met'}), ${summary.speedup.wholeCommand}x whole command`);
  console.log(`CPU, replay / recorded: ${summary.cpuRatio.program} (program process), ${summary.cpuRatio.command ?? '-'} (whole command)`);
  console.log(`recorder CPU / plain run CPU: ${summary.recorderCpuOverPlain}; same event stream on every replay: ${summary.sameStreamEveryRun ? 'yes' : 'NO'}`);
  console.log(JSON.stringify(summary));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
