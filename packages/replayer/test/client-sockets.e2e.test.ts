// What an HTTP client sees of its socket in replay is what it saw when recorded: a client
// that reads the clock at each phase (got times lookup, connect, response) must not find a
// phase the real socket never had, and a kept-alive socket is reused as it was.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, FIXTURES, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { refusedPort } from '../../recorder/test/support/looptape.js';
import { startStub } from './support/stub.js';

const dir = scratch('client-sockets');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('requests to an address, their phases timed', () => {
  it('replay without a DNS lookup the real socket never made, on the kept-alive socket the agent reused', async () => {
    const stub = await startStub({ '/slow': { latencyMs: 5, body: '{}' } });
    const tape = path.join(dir, 'socket-phases.tape');
    const run = await record(tape, [NODE, path.join(FIXTURES, 'socket-phases.mjs')], { env: { UPSTREAM_URL: stub.url } }).finally(() => stub.close());
    expect(run.code, run.stderr).toBe(0);
    const recorded = recordedStdout(await events(tape));
    expect(recorded).toBe('1: socket connect end, reused false\n2: socket end, reused true\n3: socket end, reused true\n');
    const calls = (await events(tape, ['http.request'])).filter((e) => e.kind === 'http.request' && e.direction === 'out');
    expect(calls.map((e) => e.kind === 'http.request' && e.reused === true)).toEqual([false, true, true]);
    for (let i = 0; i < 2; i++) {
      const { code, result } = await replayJson(tape);
      expect(code, result.divergence?.message).toBe(0);
      expect(result.stdout).toBe(recorded);
    }
  }, 60_000);
});

describe('kept-alive sockets', () => {
  it('go to the calls that had them, in the order the calls were made, not the order they were sent', async () => {
    const stub = await startStub({ '/slow': { latencyMs: 5, body: '{}' } });
    const tape = path.join(dir, 'reuse-order.tape');
    const run = await record(tape, [NODE, path.join(FIXTURES, 'socket-reuse-order.mjs')], { env: { UPSTREAM_URL: stub.url } }).finally(() => stub.close());
    expect(run.code, run.stderr).toBe(0);
    const recorded = recordedStdout(await events(tape));
    expect(recorded).toBe('first: reused false\na: reused true, b: reused false\n');
    const { code, result } = await replayJson(tape);
    expect(code, result.divergence?.message).toBe(0);
    expect(result.stdout).toBe(recorded);
  }, 60_000);
});

describe('a call whose connection is refused', () => {
  it('replays without a connect its socket never had', async () => {
    const port = await refusedPort();
    const tape = path.join(dir, 'refused.tape');
    const run = await record(tape, [NODE, path.join(FIXTURES, 'socket-refused.mjs')], { env: { REFUSED_PORT: String(port) } });
    expect(run.code, run.stderr).toBe(0);
    expect(recordedStdout(await events(tape))).toBe('error ECONNREFUSED\n');
    const { code, result } = await replayJson(tape);
    expect(code, result.divergence?.message).toBe(0);
    expect(result.stdout).toBe('error ECONNREFUSED\n');
  }, 60_000);
});

