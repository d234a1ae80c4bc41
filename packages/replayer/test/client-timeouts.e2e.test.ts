// Client timeouts run on the program's clock: `AbortSignal.timeout` given to fetch and to
// http.get fires in replay where it fired when recorded, among answers and timers that came
// before and after it, with the upstream gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, FIXTURES, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub } from './support/stub.js';

const dir = scratch('client-timeouts');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('AbortSignal.timeout on calls in flight', () => {
  it('fires in replay where it fired when recorded, the call failed by the program', async () => {
    const stub = await startStub({ '/slow': { latencyMs: 300, body: 'late' }, '/fast': { latencyMs: 5, body: 'soon' } });
    const tape = path.join(dir, 'timeouts.tape');
    const run = await record(tape, [NODE, path.join(FIXTURES, 'timeouts-in-flight.mjs')], { env: { UPSTREAM_URL: stub.url } }).finally(() => stub.close());
    expect(run.code, run.stderr).toBe(0);
    const all = await events(tape);
    const recorded = recordedStdout(all);
    expect(recorded.split('\n').filter(Boolean).sort()).toEqual(['fetch /fast: answered', 'fetch /slow: TimeoutError', 'http /slow: AbortError', 'timer 150']);
    expect(all.filter((e) => e.kind === 'timer.set' && e.delay === 100)).toHaveLength(2);
    const errors = all.filter((e) => e.kind === 'http.error');
    expect(errors.map((e) => e.kind === 'http.error' && e.byProgram)).toEqual([true, true]);
    const hashes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { code, result } = await replayJson(tape);
      expect(code, result.divergence?.message).toBe(0);
      expect(result.stdout).toBe(recorded);
      hashes.add(result.streamHash);
    }
    expect(hashes.size).toBe(1);
  }, 60_000);
});
