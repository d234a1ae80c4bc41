/**
 * Pending at the end: calls sent and never answered, and timers never fired, when the recorded
 * process ended (a crash on an unhandled rejection, process.exit, SIGKILL) are the recorded
 * ones in replay, and stay pending — replay does not call them requests it does not have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, NODE, events, recordedStdout, replayJson, run, scratch } from './support/cli.js';
import { startStub, type Stub } from './support/stub.js';

const PROGRAM = path.join(FIXTURES, 'pending-at-end.mjs');
const dir = scratch('pending-at-end');
let upstream: Stub;

beforeAll(async () => {
  // /audit is held for ten minutes: the program always ends first.
  upstream = await startStub({ '/ok': { latencyMs: 5, body: 'fine' }, '/audit': { latencyMs: 600_000, body: 'logged' } });
});
afterAll(async () => {
  await upstream.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function recordEnding(ending: string) {
  const tape = path.join(dir, `${ending}.tape`);
  const pidFile = path.join(dir, `${ending}.pid`);
  const env = { UPSTREAM_URL: upstream.url, PID_FILE: pidFile };
  const recording = run([NODE, BIN, 'record', '--force', '--out', tape, '--', NODE, PROGRAM, ending], { env });
  if (ending === 'kill') {
    while (!fs.existsSync(pidFile)) await new Promise((r) => setTimeout(r, 20));
    // The recorder writes what it has every 250 ms.
    await new Promise((r) => setTimeout(r, 800));
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
  }
  return { tape, recorded: await recording };
}

describe('pending at the end of the recording', () => {
  it.each([
    ['crash', 1, 'an unhandled rejection'],
    ['exit', 3, 'process.exit(3)'],
    ['kill', 128 + 9, 'SIGKILL'],
  ])('replays a run that ended in a %s with its calls and timer still pending', async (ending, code) => {
    const { tape, recorded } = await recordEnding(ending);
    expect(recorded.code, recorded.stderr).toBe(code);
    const all = await events(tape);
    const audits = all.filter((e) => e.kind === 'http.request' && e.direction === 'out' && e.url.endsWith('/audit'));
    expect(audits).toHaveLength(2);
    // Neither was answered nor failed, and the 60 s timer never fired.
    const exchanges = new Set(audits.map((e) => e.kind === 'http.request' && e.exchange));
    expect(all.filter((e) => (e.kind === 'http.response' || e.kind === 'http.error') && exchanges.has(e.exchange))).toEqual([]);
    expect(recordedStdout(all)).not.toContain('timer fired');
    expect(recordedStdout(all)).toContain(`ending: ${ending}`);

    const before = upstream.hits.length;
    const replayed = await replayJson(tape);
    expect(replayed.result.divergence).toBeNull();
    expect(replayed.result.ok).toBe(true);
    expect(replayed.code).toBe(0);
    expect(replayed.result.stdout).toBe(recordedStdout(all));
    if (ending !== 'kill') expect(replayed.result.exitCode).toBe(code);
    // Offline: nothing reached the upstream.
    expect(upstream.hits.length).toBe(before);
  });
});
