#!/usr/bin/env node
// Runs one example end to end: its upstream stub, the app (optionally wrapped, e.g.
// in `looptape record --`), its traffic, then waits for the app to stop by itself.
// A library (runExample, bugShown) and a CLI:
//   node examples/harness.mjs <name> [--fixed] [--json] [-- APP_ARGV...]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const TRAFFIC_LINE = /^(\S+) (\S+) -> (\d+|ERR) ?(.*)$/;

/** The examples runExample knows, in the order the demo shows them. */
export const EXAMPLES = ['price-race', 'double-book', 'timeout-race', 'fire-and-forget', 'lost-update', 'double-charge', 'late-body', 'retry-backoff'];

/** Environment an example's app needs under its usual (unlucky) traffic. */
const APP_ENV = { 'double-charge': { REQUESTS: '2' } };

/**
 * Runs example `name` once and resolves what a user would see.
 * Options: `app` (argv that starts the app; default `node examples/<name>/server.mjs`,
 * or `server.fixed.mjs` with `fixed: true`), `lucky` (the timing under which the race
 * does not show: what a passing recording is made of), `cwd` (for `app`; default the repository
 * root), `env` (added to the app's environment), `exitTimeoutMs` (how long the app may
 * take to stop by itself after the traffic; default 20 s, then it is killed and
 * `timedOut` is true). Rejects only when a process cannot start or never listens.
 */
export async function runExample(name, options = {}) {
  if (!EXAMPLES.includes(name)) throw new Error(`unknown example "${name}": one of ${EXAMPLES.join(', ')}`);
  const { fixed = false, lucky = false, cwd = path.dirname(HERE), env = {}, exitTimeoutMs = 20_000 } = options;
  // Lucky timing: the upstream's latencies and the traffic under which the race does not show.
  const timing = lucky ? { ...process.env, EXAMPLE_TIMING: 'lucky' } : process.env;
  const app = options.app ?? [process.execPath, path.join(HERE, name, fixed ? 'server.fixed.mjs' : 'server.mjs')];
  const started = [];
  try {
    const upstream = start([process.execPath, path.join(HERE, name, 'upstream.mjs')], { cwd: HERE, env: timing });
    started.push(upstream);
    const upstreamUrl = await upstream.listening('upstream');

    const appProc = start(app, { cwd, env: { ...process.env, PORT: '0', ...(lucky ? {} : APP_ENV[name]), ...env, UPSTREAM_URL: upstreamUrl } });
    started.push(appProc);
    const appUrl = await appProc.listening('app');

    const trafficProc = start([process.execPath, path.join(HERE, name, 'traffic.mjs'), appUrl], { cwd: HERE, env: timing });
    started.push(trafficProc);
    const trafficExit = await trafficProc.exit(30_000);

    const appExit = await appProc.exit(exitTimeoutMs);
    upstream.signal('SIGTERM');
    await upstream.exit(5_000);
    return {
      name,
      fixed,
      appExitCode: appExit.code,
      appSignal: appExit.signal,
      timedOut: appExit.timedOut,
      appStdout: appProc.stdout,
      appStderr: appProc.stderr,
      traffic: parseTraffic(trafficProc.stdout),
      trafficExitCode: trafficExit.code,
      upstreamUrl,
      appUrl,
    };
  } finally {
    for (const p of started) p.kill();
  }
}

/** Parses traffic.mjs lines: `<METHOD> <path> -> <status> <body>`; a failed request has status null. */
export function parseTraffic(stdout) {
  const lines = stdout.split('\n').map((l) => TRAFFIC_LINE.exec(l)).filter(Boolean);
  return lines.map(([, method, p, status, body]) => ({ method, path: p, status: status === 'ERR' ? null : Number(status), body }));
}

const BUG_SHOWN = {
  // A quote whose total is not min(qty, available) * unitPrice.
  'price-race': (r) =>
    r.traffic.some((t) => {
      const q = t.status === 200 ? json(t.body) : undefined;
      return q !== undefined && q.total !== Math.min(q.qty, q.available) * q.unitPrice;
    }),
  // Two 201 Created for one seat.
  'double-book': (r) => {
    const seats = r.traffic.filter((t) => t.status === 201).map((t) => json(t.body)?.seat);
    return new Set(seats).size < seats.length;
  },
  // A write after the response ended (logged by the app), or a status other than the
  // expected one: ada's upstream answers well within the timeout (200), bob's well after (504).
  'timeout-race': (r) =>
    /ERR_HTTP_HEADERS_SENT|ERR_STREAM_WRITE_AFTER_END/.test(r.appStderr) ||
    r.traffic.some((t) => t.status !== ({ ada: 200, bob: 504 })[new URL(t.path, 'http://x').searchParams.get('user')]),
  // The app never exits non-zero unless an audit rejection went unhandled (Node 20 crashes with 1).
  'fire-and-forget': (r) => (r.appExitCode !== 0 && r.appExitCode !== null) || /unhandled/i.test(r.appStderr),
  // The final cart lacks an item whose add was answered 200.
  'lost-update': (r) => {
    const added = r.traffic.filter((t) => t.status === 200).length;
    const final = /final cart of ada: (.*)$/m.exec(r.appStdout ?? '')?.[1];
    return final !== undefined && final.split(',').filter(Boolean).length < added;
  },
  // The card was charged twice for one order.
  'double-charge': (r) => ((r.appStdout ?? '').match(/^charged o1:/gm) ?? []).length > 1,
  // The export was answered twice: the second answer crashed the app.
  'late-body': (r) => /ERR_HTTP_HEADERS_SENT/.test(r.appStderr) || (r.appExitCode !== 0 && r.appExitCode !== null),
  // A retry went on after the client went away.
  'retry-backoff': (r) => /the client of \/report went away[\s\S]*^attempt \d/m.test(r.appStdout ?? ''),
};

/** True when `result` (from runExample) shows example `name`'s bug; false for its fixed app. */
export function bugShown(name, result) {
  const check = BUG_SHOWN[name];
  if (!check) throw new Error(`unknown example "${name}": one of ${EXAMPLES.join(', ')}`);
  return check(result);
}

function json(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Spawns argv, collects its output, and offers bounded waits on it. */
function start(argv, { cwd, env }) {
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d) => (proc.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (proc.stderr += d));
  // Resolves after the output pipes are drained, so stdout/stderr are complete.
  const closed = new Promise((resolve) => {
    child.on('error', (err) => resolve({ code: null, signal: null, error: err }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const label = argv.join(' ');

  proc.listening = (role, ms = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = LISTENING.exec(proc.stdout);
        if (m) done(() => resolve(m[1]));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${role} did not print "listening on" within ${ms} ms: ${label}\n${proc.stderr}`))), ms);
      const onClose = ({ code, signal, error }) =>
        done(() => reject(new Error(`${role} exited (${error?.message ?? code ?? signal}) before listening: ${label}\n${proc.stderr}`)));
      const done = (settle) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        settle();
      };
      child.stdout.on('data', check);
      closed.then(onClose);
      check();
    });

  /** Waits up to `ms` for the exit; past that, SIGTERM, then SIGKILL 2 s later. */
  proc.exit = async (ms) => {
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, ms, 'late')));
    const first = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (first !== 'late') return { ...first, timedOut: false };
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    const exit = await closed;
    clearTimeout(killer);
    return { ...exit, timedOut: true };
  };

  proc.signal = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  proc.kill = () => proc.signal('SIGKILL');
  return proc;
}

async function main(argv) {
  const sep = argv.indexOf('--');
  const args = sep === -1 ? argv : argv.slice(0, sep);
  const app = sep === -1 ? undefined : argv.slice(sep + 1);
  const name = args.find((a) => !a.startsWith('--'));
  const unknown = args.filter((a) => a.startsWith('--') && !['--fixed', '--json', '--lucky'].includes(a));
  if (!name || !EXAMPLES.includes(name) || unknown.length > 0 || (app && app.length === 0)) {
    console.error(`usage: node examples/harness.mjs <${EXAMPLES.join('|')}> [--fixed] [--lucky] [--json] [-- APP_ARGV...]`);
    return 2;
  }
  const result = await runExample(name, { fixed: args.includes('--fixed'), lucky: args.includes('--lucky'), app, cwd: process.cwd() });
  const shown = bugShown(name, result);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ ...result, bugShown: shown }, null, 2));
    return 0;
  }
  for (const t of result.traffic) console.log(`${t.method} ${t.path} -> ${t.status ?? 'ERR'} ${t.body}`);
  if (result.appStderr.trim()) console.log(`app stderr:\n${result.appStderr.trimEnd().replace(/^/gm, '  ')}`);
  const how = result.timedOut ? ` (killed: it did not stop within 20 s)` : result.appSignal ? ` (${result.appSignal})` : '';
  console.log(`app exit code: ${result.appExitCode}${how}`);
  console.log(`bug shown: ${shown ? 'yes' : 'no'}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(`harness: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
