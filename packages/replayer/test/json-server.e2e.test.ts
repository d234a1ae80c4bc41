// json-server 0.17 (unmodified, a dev dependency) keeps its data in db.json and rewrites it on
// every change (lowdb: write a temporary file, rename it over db.json). Recorded under GET,
// POST, PATCH and DELETE traffic, it replays five times in a row, each matching, and the
// user's db.json is left as it was: same bytes, same mtime; so do explore's and test's runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../src/result.js';
import { BIN, NODE, ROOT, run, scratch } from './support/cli.js';
import { snapshot } from './support/files.js';

const dir = scratch('json-server');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const JSON_SERVER = path.join(ROOT, 'node_modules/json-server/lib/cli/bin.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

describe('json-server under record and replay', () => {
  it('replays five times in a row, each matching, without changing db.json', async () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'db.json'), JSON.stringify({ posts: [{ id: 1, title: 'first' }], comments: [] }, null, 2));
    const tape = path.join(dir, 'json-server.tape');
    const port = await freePort();
    const recorder = spawn(NODE, [BIN, 'record', '--out', tape, '--', NODE, JSON_SERVER, 'db.json', '--port', String(port), '--host', '127.0.0.1'], { cwd: data, stdio: 'ignore' });
    const closed = new Promise((resolve) => recorder.once('close', resolve));
    const base = `http://127.0.0.1:${port}`;
    await until(`${base}/posts`);
    const send = (method: string, url: string, body?: unknown) => fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.text());
    await send('POST', '/posts', { title: 'second' });
    await send('PATCH', '/posts/1', { title: 'first, edited' });
    await send('DELETE', '/posts/2');
    expect(JSON.parse(await send('GET', '/posts'))).toEqual([{ id: 1, title: 'first, edited' }]);
    recorder.kill('SIGINT');
    await closed;

    // The recording wrote db.json for real; the replays must not, whatever it holds now.
    const before = snapshot(data);
    const hashes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      // Replayed where it was recorded, as a user would: json-server finds db.json there.
      const { code, stdout, stderr } = await run([NODE, BIN, 'replay', tape, '--json'], { cwd: data });
      const result = JSON.parse(stdout) as ReplayResult;
      expect(code, `${stderr}\n${JSON.stringify(result.divergence)}`).toBe(0);
      expect(result.ok).toBe(true);
      expect(result.responses.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual(['GET /posts 200', 'POST /posts 201', 'PATCH /posts/1 200', 'DELETE /posts/2 200', 'GET /posts 200']);
      hashes.add(result.streamHash);
      expect(snapshot(data)).toEqual(before);
    }
    expect(hashes.size).toBe(1);

    // explore and test replay the same way: many runs, other orders, and db.json still untouched.
    const explored = await run([NODE, BIN, 'explore', tape, '--runs', '10', '--until', 'status>=500', '--json'], { cwd: data });
    expect(explored.code, explored.stderr).toBe(1);
    expect(JSON.parse(explored.stdout)).toMatchObject({ found: false, runs: 10 });
    const tested = await run([NODE, BIN, 'test', tape], { cwd: data });
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(snapshot(data)).toEqual(before);
  }, 240_000);
});
