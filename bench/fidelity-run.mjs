// Records one client case of test/frameworks/fixtures/client-service against a real upstream on
// 127.0.0.1 under concurrent traffic, then replays it with the upstream gone, `times` times.
// Shared by test/frameworks/clients.e2e.test.ts and bench/fidelity.mjs (the README's table).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const FIXTURES = path.join(ROOT, 'test/frameworks/fixtures');
const IDS = ['a', 'b', 'c', 'd'];

/** The cases: a client (see fixtures/clients.mjs) behind a server, in JavaScript or TypeScript. */
export const CASES = [
  { name: 'node:http (keep-alive, maxSockets 2)', client: 'http' },
  { name: 'fetch', client: 'fetch' },
  { name: 'axios', client: 'axios' },
  { name: 'got', client: 'got' },
  { name: 'node-fetch 3', client: 'node-fetch' },
  { name: 'undici request', client: 'undici-request' },
  { name: 'undici Pool', client: 'undici-pool' },
  { name: 'undici Agent', client: 'undici-agent' },
  { name: 'http2 client', client: 'http2', http2: true },
  { name: 'Fastify 5 (logger on) + fetch', client: 'fetch', framework: 'fastify' },
  { name: 'TypeScript with tsx + fetch', client: 'fetch', typescript: true },
];

/** Runs argv to its end; resolves with its exit code and output. */
function run(argv, { env = {}, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; onStdout?.(stdout); });
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** An upstream on 127.0.0.1 (HTTP/1.1, or h2c for the http2 client) that answers each path after a few ms. */
async function startUpstream(h2) {
  const answer = (path, send) => setTimeout(() => send(JSON.stringify({ path })), 5 + (path.length % 4) * 5);
  const server = h2
    ? (await import('node:http2')).createServer().on('stream', (stream, headers) => answer(headers[':path'], (body) => { stream.respond({ ':status': 200, 'content-type': 'application/json' }); stream.end(body); }))
    : http.createServer((req, res) => answer(req.url, (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(body)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}

/**
 * Records the case with `node` (a Node binary), sending the service its requests all at once,
 * then replays it `times` times under the same Node (or up to its first failure, with `stopAtFailure`). Each replay: exit code, whether it matched,
 * its stream hash, its answers, and the refusal or divergence line.
 */
export async function recordAndReplay(testCase, { node = process.execPath, times = 20, dir = os.tmpdir(), stopAtFailure = false } = {}) {
  const upstream = await startUpstream(testCase.http2);
  const tape = path.join(dir, `${testCase.client}-${testCase.framework ?? 'http'}${testCase.typescript ? '-ts' : ''}.tape`);
  const entry = path.join(FIXTURES, testCase.typescript ? 'client-service.ts' : 'client-service.mjs');
  const program = [node, ...(testCase.typescript ? ['--import', 'tsx'] : []), entry, String(IDS.length), testCase.client, testCase.framework ?? 'http'];
  let listening;
  const port = new Promise((resolve) => (listening = resolve));
  const recording = run([node, BIN, 'record', '--out', tape, '--force', '--', ...program], {
    env: { UPSTREAM_URL: upstream.url },
    onStdout: (out) => { const m = /listening (\d+)/.exec(out); if (m) listening(m[1]); },
  });
  const served = await Promise.race([port, recording.then((r) => { throw new Error(`the service did not start: ${r.stderr}`); })]);
  const answers = await Promise.all(IDS.map(async (id) => (await fetch(`http://127.0.0.1:${served}/pair/${id}`)).text()));
  const recorded = await recording;
  await upstream.close();
  const replays = [];
  for (let i = 0; i < times; i++) {
    const r = await run([node, BIN, 'replay', tape, '--json']);
    let result;
    try {
      result = JSON.parse(r.stdout);
    } catch {
      replays.push({ code: r.code, ok: false, line: r.stderr.trim() });
      if (stopAtFailure) break;
      continue;
    }
    replays.push({
      code: r.code, ok: result.ok, streamHash: result.streamHash, answers: result.responses.map((x) => x.body),
      line: result.divergence?.message ?? result.refused ?? '',
    });
    if (stopAtFailure && !result.ok) break;
  }
  return { tape, recordCode: recorded.code, recordStderr: recorded.stderr, answers, replays };
}

/** What a run shows, in a word: how many replays matched with the recorded answers and one hash. */
export function verdict({ answers, replays }) {
  const same = replays.filter((r) => r.code === 0 && r.ok && [...r.answers].sort().join() === [...answers].sort().join());
  const hashes = new Set(same.map((r) => r.streamHash));
  if (same.length === replays.length && hashes.size === 1) return { replayed: true, text: `${same.length}/${replays.length}, one hash` };
  const first = replays.find((r) => !same.includes(r));
  return { replayed: false, text: `${same.length}/${replays.length}: ${first?.line.split('\n')[0] ?? `${hashes.size} hashes`}` };
}
