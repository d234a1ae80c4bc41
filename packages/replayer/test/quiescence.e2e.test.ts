// Issue 3, point 7: quiescence. Between two deliveries the program's own local work (file
// system, zlib and crypto callbacks) must finish before the next delivery, whatever the
// machine's speed: a fixture whose output depends on it replays to the recorded output 10
// times, also with the other core busy. And work that is already finished (synchronous
// zlib/crypto calls, the replayer's own) must not hold up the next delivery.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { busyCore, events, FIXTURES, isRunning, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub } from './support/stub.js';

const dir = scratch('quiescence');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function recordFixture(name: string, env: Record<string, string> = {}): Promise<{ tape: string; stdout: string }> {
  const tape = path.join(dir, `${name}.tape`);
  await record(tape, [NODE, path.join(FIXTURES, `${name}.mjs`)], { env });
  return { tape, stdout: recordedStdout(await events(tape)) };
}

/** Replays `times` times: each run matches the recording, prints `stdout`, with one stream. */
async function replaysMatch(tape: string, stdout: string, times: number): Promise<void> {
  const hashes = new Set<string>();
  for (let i = 0; i < times; i++) {
    const { code, result } = await replayJson(tape);
    expect(result.stdout, `replay ${i + 1}`).toBe(stdout);
    expect(result.ok, `replay ${i + 1}: ${result.divergence?.message}`).toBe(true);
    expect(code).toBe(0);
    hashes.add(result.streamHash);
  }
  expect(hashes.size).toBe(1);
}

describe('local work between deliveries', () => {
  it('fs, zlib and crypto callbacks finish before the next timer, on 10 replays, also with the other core busy', async () => {
    const { tape, stdout } = await recordFixture('local-work');
    expect(stdout).toMatch(/^read true; stat true; gzip true; gunzip 11000; pbkdf2 [0-9a-f]{8}; promises true\n$/);
    await replaysMatch(tape, stdout, 10);
    const busy = busyCore();
    try {
      await replaysMatch(tape, stdout, 10);
      expect(isRunning(busy.child)).toBe(true);
    } finally {
      await busy.stop();
    }
  }, 240_000);

  it('a gzip worked through in many chunks finishes before the next timer', async () => {
    const { tape, stdout } = await recordFixture('big-gzip');
    expect(stdout).toMatch(/^gzip: true \(\d+ bytes in\)\n$/);
    await replaysMatch(tape, stdout, 3);
  }, 60_000);
});

describe('finished work does not hold up deliveries', () => {
  // The recorded program needs about 60 ms of virtual time; a replay of it takes well under
  // a second from the first delivery to the last, unless it waits for work that never ends.
  it('synchronous zlib and crypto calls (gzipSync, pbkdf2Sync)', async () => {
    const { tape, stdout } = await recordFixture('sync-work');
    expect(stdout).toMatch(/^key [0-9a-f]{8}, packed \d+, ticks 3\n$/);
    const { result } = await replayJson(tape);
    expect(result.stdout).toBe(stdout);
    expect(result.ok).toBe(true);
    expect(result.wallMs).toBeLessThan(2000);
  }, 60_000);

  it('gzip-encoded responses (which the replayer compresses again for fetch)', async () => {
    const stub = await startStub({
      '/a': { latencyMs: 10, body: '{"answer":"a"}', gzip: true },
      '/b': { latencyMs: 10, body: '{"answer":"b"}', gzip: true },
    });
    const recorded = await recordFixture('gzip-responses', { UPSTREAM_URL: stub.url }).finally(() => stub.close());
    expect(recorded.stdout).toBe('/a: gzip a\n/b: gzip b\ndone\n');
    const { result } = await replayJson(recorded.tape);
    expect(result.stdout).toBe(recorded.stdout);
    expect(result.ok).toBe(true);
    expect(result.wallMs).toBeLessThan(2000);
  }, 60_000);
});
