/**
 * Recordings are portable across Node versions: recorded on the Node running this suite, a
 * recording replays on another supported version (24, or 22 when this is 24) exactly as on its
 * own, with the same stream hash. Node and its SQLite addon come from .ci/node-version (cached
 * outside the repository; the first time, it downloads Node and compiles the addon).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '@looptape/replayer';
import { BIN, ROOT, start } from '../../packages/recorder/test/support/looptape.js';
import { startStub, type Stub } from '../../packages/replayer/test/support/stub.js';

const PROGRAM = path.join(ROOT, 'test/node-versions/fixtures/portable.mjs');
const here = path.dirname(process.execPath);
const otherMajor = process.versions.node.startsWith('24.') ? '22' : '24';
let other: string;
let upstream: Stub;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-versions-'));

beforeAll(() => {
  other = execFileSync(path.join(ROOT, '.ci/node-version'), [otherMajor], { encoding: 'utf8', timeout: 600_000 }).trim();
}, 600_000);
beforeAll(async () => {
  upstream = await startStub({ '/one': { latencyMs: 20, body: 'first' }, '/two': { latencyMs: 10, body: 'second' } });
});
afterAll(async () => {
  await upstream.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `looptape ARGS` with `bin`'s Node first on PATH: the CLI and the program both run on it. */
async function on(bin: string, args: string[]) {
  const run = await start([path.join(bin, 'node'), BIN, ...args], { env: { PATH: `${bin}:${process.env.PATH}`, UPSTREAM_URL: upstream.url } }).finished;
  return run;
}

async function replayOn(bin: string, tape: string) {
  const run = await on(bin, ['replay', tape, '--json']);
  return { run, result: JSON.parse(run.out) as ReplayResult };
}

describe('recordings across Node versions', () => {
  it(`records on Node ${process.versions.node} and replays on Node ${otherMajor} as on its own`, async () => {
    const tape = path.join(dir, 'portable.tape');
    // Recorded as `node PROGRAM`: replay runs the `node` first on its PATH, the other version.
    const recorded = await on(here, ['record', '--out', tape, '--', 'node', PROGRAM]);
    expect(recorded.code, recorded.err).toBe(0);
    expect(JSON.parse(recorded.out)).toMatchObject({ one: 'first', two: 'second', ticks: 3 });
    const hits = upstream.hits.length;

    const own = await replayOn(here, tape);
    const across = await replayOn(other, tape);
    expect(across.run.err).toBe('');
    expect(across.result.divergence).toBeNull();
    expect(across.result.ok).toBe(true);
    expect(across.result.stdout).toBe(recorded.out);
    expect(own.result.ok).toBe(true);
    expect(across.result.streamHash).toBe(own.result.streamHash);
    expect(upstream.hits.length).toBe(hits);
  });
});
