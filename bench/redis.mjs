#!/usr/bin/env node
// Overhead of `looptape record` on a service that talks to Redis (examples/redis-sessions:
// Express, ioredis), measured in one run: the service's CPU per request (user + system, read
// from /proc for the service's own process, from its first measured request to its last
// answer), plain and under `looptape record`, interleaved and repeated; each figure is the
// median of its repeats. Starts its own redis-server on a free port of 127.0.0.1.
// Prints a readable table and, last, one JSON line. Build first: pnpm build
//   node bench/redis.mjs [--users N] [--warmup N] [--concurrency C] [--reps R]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const SERVER = path.join(ROOT, 'examples/redis-sessions/server.mjs');
const { values } = parseArgs({ options: { users: { type: 'string', default: '150' }, warmup: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '8' }, reps: { type: 'string', default: '3' } } });
const [USERS, WARMUP, CONCURRENCY, REPS] = ['users', 'warmup', 'concurrency', 'reps'].map((k) => Number(values[k]));
/** Each user logs in, adds two items and reads the cart: four requests. */
const PER_USER = 4;
const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-redis-'));

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU time (ms) a process has used so far, from /proc. */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The process that serves: the program itself, or under `looptape record` the program the CLI started. */
function servingPid(child, recorded) {
  if (!recorded) return child.pid;
  const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`looptape record has ${children.length} child processes, expected 1`);
  return Number(children[0]);
}

async function user(app, i) {
  const call = async (method, p, body) => {
    const res = await fetch(`${app}${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
    if (res.status >= 400) throw new Error(`${method} ${p} answered ${res.status}`);
    return res.json();
  };
  const { sid } = await call('POST', '/login', { user: `u${i}` });
  await call('POST', '/cart', { sid, item: 'book' });
  await call('POST', '/cart', { sid, item: 'pen' });
  await call('GET', `/cart?sid=${sid}`);
}

/** `count` users, `CONCURRENCY` at a time. */
async function load(app, from, count) {
  let next = from;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < from + count) await user(app, next++);
  }));
}

/** One run of the service, plain or recorded: its CPU per measured request (ms). */
async function measure(redisUrl, recorded, rep) {
  const env = { ...process.env, REDIS_URL: redisUrl, REQUESTS: String((WARMUP + USERS) * PER_USER + 1) };
  const argv = recorded ? [BIN, 'record', '--force', '--out', path.join(dir, `r${rep}.tape`), '--', process.execPath, SERVER] : [SERVER];
  const child = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('close', resolve));
  const app = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('close', (code) => reject(new Error(`the service exited ${code} before listening`)));
  });
  await load(app, 0, WARMUP);
  const pid = servingPid(child, recorded);
  const before = cpuMs(pid);
  await load(app, WARMUP, USERS);
  const after = cpuMs(pid);
  // One more request, after the reading: the service closes after it (it must still be there to be read).
  await fetch(`${app}/cart?sid=none`).then((r) => r.text());
  await exited;
  return (after - before) / (USERS * PER_USER);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const port = await freePort();
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', 'bench-pw'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 100 && !(await new Promise((r) => net.connect(port, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)))); i++) await new Promise((r) => setTimeout(r, 100));
  const url = `redis://:bench-pw@127.0.0.1:${port}`;
  const plain = [];
  const recorded = [];
  for (let rep = 0; rep < REPS; rep++) {
    plain.push(await measure(url, false, rep));
    recorded.push(await measure(url, true, rep));
  }
  const result = {
    bench: 'redis', users: USERS, requests: USERS * PER_USER, concurrency: CONCURRENCY, reps: REPS,
    plainCpuMsPerRequest: +median(plain).toFixed(3), recordedCpuMsPerRequest: +median(recorded).toFixed(3),
    ratio: +(median(recorded) / median(plain)).toFixed(2), plainRuns: plain.map((x) => +x.toFixed(3)), recordedRuns: recorded.map((x) => +x.toFixed(3)),
  };
  console.log(`redis-sessions, ${result.requests} requests (${CONCURRENCY} at a time), median of ${REPS}:`);
  console.log(`  plain      ${result.plainCpuMsPerRequest} ms CPU per request`);
  console.log(`  recorded   ${result.recordedCpuMsPerRequest} ms CPU per request (${result.ratio}x)`);
  console.log(JSON.stringify(result));
} finally {
  redis.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
