// What an HTTP client sees of its socket in replay is what it saw when recorded: a client
// that reads the clock at each phase (got times lookup, connect, response) must not find a
// phase the real socket never had, and a kept-alive socket is reused as it was.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refusedPort } from '../../recorder/test/support/looptape.js';
import { events, FIXTURES, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub } from './support/stub.js';

const dir = scratch('client-sockets');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Records a fixture (against a stub upstream unless `env` is given); returns the recording and its stdout. */
async function recordFixture(name: string, env?: Record<string, string>): Promise<{ tape: string; recorded: string }> {
  const stub = env ? undefined : await startStub({ '/slow': { latencyMs: 5, body: '{}' } });
  const tape = path.join(dir, `${name}.tape`);
  const run = await record(tape, [NODE, path.join(FIXTURES, `${name}.mjs`)], { env: env ?? { UPSTREAM_URL: stub!.url } }).finally(() => stub?.close());
  expect(run.code, run.stderr).toBe(0);
  return { tape, recorded: recordedStdout(await events(tape)) };
}

/** The recording's outbound calls, in order. */
async function outboundCalls(tape: string) {
  return (await events(tape, ['http.request'])).filter((e) => e.kind === 'http.request' && e.direction === 'out');
}

/** Replays `times` times; each must match the recording and print what it printed. */
async function expectReplays(tape: string, recorded: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const { code, result } = await replayJson(tape);
    expect(code, result.divergence?.message).toBe(0);
    expect(result.stdout).toBe(recorded);
  }
}

describe('requests to an address, their phases timed', () => {
  it('replay without a DNS lookup the real socket never made, on the kept-alive socket the agent reused', async () => {
    const { tape, recorded } = await recordFixture('socket-phases');
    expect(recorded).toBe('1: socket connect end, reused false\n2: socket end, reused true\n3: socket end, reused true\n');
    const calls = await outboundCalls(tape);
    expect(calls.map((e) => e.kind === 'http.request' && e.reused === true)).toEqual([false, true, true]);
    await expectReplays(tape, recorded, 2);
  }, 60_000);
});

describe('kept-alive sockets', () => {
  it('go to the calls that had them, in the order the calls were made, not the order they were sent', async () => {
    const { tape, recorded } = await recordFixture('socket-reuse-order');
    expect(recorded).toBe('first: reused false\na: reused true, b: reused false\n');
    await expectReplays(tape, recorded);
  }, 60_000);
});

describe('calls that waited for their agent\'s one socket (maxSockets 1)', () => {
  it('each get it in replay when the call before them ended, as recorded', async () => {
    const { tape, recorded } = await recordFixture('socket-queued');
    expect(recorded).toBe('a: reused false, b: reused false, c: reused false\na socket, a answered, b socket, b answered, c socket, c answered\n');
    const calls = await outboundCalls(tape);
    expect(calls.map((e) => e.kind === 'http.request' && e.queued === true)).toEqual([false, true, true]);
    await expectReplays(tape, recorded, 2);
  }, 60_000);
});

describe('a socket that connects before its call is sent', () => {
  it('connects in replay where it connected when recorded, before a timer and the send', async () => {
    const { tape, recorded } = await recordFixture('socket-early-connect');
    expect(recorded).toBe('connected, timer 30, sending, answered\n');
    const all = await events(tape, ['http.connect', 'http.request']);
    expect(all.filter((e) => e.kind === 'http.connect' || (e.kind === 'http.request' && e.direction === 'out')).map((e) => e.kind)).toEqual(['http.connect', 'http.request']);
    await expectReplays(tape, recorded, 2);
  }, 60_000);
});

describe('a call whose connection is refused', () => {
  it('replays without a connect its socket never had', async () => {
    const { tape, recorded } = await recordFixture('socket-refused', { REFUSED_PORT: String(await refusedPort()) });
    expect(recorded).toBe('error ECONNREFUSED\n');
    await expectReplays(tape, recorded);
  }, 60_000);
});

describe('calls the program destroys before they are answered', () => {
  it('fail in replay by the program\'s own hand, as recorded, with the socket closed the same way', async () => {
    const { tape, recorded } = await recordFixture('destroyed-calls');
    expect(recorded.split('\n').filter(Boolean).map((l) => l.replace(/ECONNRESET socket hang up|ABORT_ERR The operation was aborted/, 'FAILED'))).toEqual([
      'at once: FAILED',
      'next tick: FAILED, socket closed (error: false)',
      'immediate: FAILED, socket closed (error: false)',
      'abort controller: FAILED, socket closed (error: true)',
    ]);
    const errors = (await events(tape, ['http.error'])).filter((e) => e.kind === 'http.error');
    expect(errors.map((e) => e.kind === 'http.error' && e.byProgram)).toEqual([true, true, true, true]);
    await expectReplays(tape, recorded, 2);
  }, 60_000);
});

