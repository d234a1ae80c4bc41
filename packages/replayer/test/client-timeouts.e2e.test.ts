// Client timeouts run on the program's clock: `AbortSignal.timeout` given to fetch and to
// http.get, `req.setTimeout` and `socket.setTimeout` fire in replay where they fired when
// recorded, among answers and timers that came before and after them, with the upstream gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, FIXTURES, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub } from './support/stub.js';

const dir = scratch('client-timeouts');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Records fixture NAME against a stub whose /slow answers in 300 ms and /fast in 5 ms (the stub is gone afterwards). */
async function recordAgainstStub(name: string) {
  const stub = await startStub({ '/slow': { latencyMs: 300, body: 'late' }, '/fast': { latencyMs: 5, body: 'soon' } });
  const tape = path.join(dir, `${name}.tape`);
  const run = await record(tape, [NODE, path.join(FIXTURES, `${name}.mjs`)], { env: { UPSTREAM_URL: stub.url } }).finally(() => stub.close());
  expect(run.code, run.stderr).toBe(0);
  const all = await events(tape);
  return { tape, all, recorded: recordedStdout(all) };
}

/** Three replays, each exit 0 with the recorded output, all with one stream hash. */
async function expectReplaysAsRecorded(tape: string, recorded: string): Promise<void> {
  const hashes = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const { code, result } = await replayJson(tape);
    expect(code, result.divergence?.message).toBe(0);
    expect(result.stdout).toBe(recorded);
    hashes.add(result.streamHash);
  }
  expect(hashes.size).toBe(1);
}

describe('AbortSignal.timeout on calls in flight', () => {
  it('fires in replay where it fired when recorded, the call failed by the program', async () => {
    const { tape, all, recorded } = await recordAgainstStub('timeouts-in-flight');
    expect(recorded.split('\n').filter(Boolean).sort()).toEqual(['fetch /fast: answered', 'fetch /slow: TimeoutError', 'http /slow: AbortError', 'timer 150']);
    expect(all.filter((e) => e.kind === 'timer.set' && e.delay === 100)).toHaveLength(2);
    const errors = all.filter((e) => e.kind === 'http.error');
    expect(errors.map((e) => e.kind === 'http.error' && e.byProgram)).toEqual([true, true]);
    await expectReplaysAsRecorded(tape, recorded);
  }, 60_000);
});

describe('req.setTimeout and socket.setTimeout on connections in flight', () => {
  it('are the program\'s timers: recorded, and fired in replay where they fired when recorded', async () => {
    const { tape, all, recorded } = await recordAgainstStub('socket-timeouts');
    expect(recorded.split('\n').filter(Boolean).sort()).toEqual(['fetch /fast: answered', 'http /slow: timed out', 'tcp: idle 120', 'timer 150']);
    // Each timeout is a timer of the program, set where the program asked for it, and it fired.
    const sets = all.filter((e) => e.kind === 'timer.set' && (e.delay === 100 || e.delay === 120));
    expect(sets.map((e) => e.kind === 'timer.set' && `${e.delay} ${e.site}`).sort()).toEqual([
      expect.stringMatching(/^100 packages\/replayer\/test\/fixtures\/socket-timeouts\.mjs:\d+:\d+$/),
      expect.stringMatching(/^120 packages\/replayer\/test\/fixtures\/socket-timeouts\.mjs:\d+:\d+$/),
    ]);
    const fired = new Set(all.filter((e) => e.kind === 'timer.fire').map((e) => e.kind === 'timer.fire' && e.timer));
    for (const e of sets) expect(fired.has(e.kind === 'timer.set' && e.timer)).toBe(true);
    await expectReplaysAsRecorded(tape, recorded);
  }, 60_000);
});
