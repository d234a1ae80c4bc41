// Issue 3, point 2: replay reaches no network. The examples are recorded against their
// upstream stubs; the stubs are then stopped (their ports refuse connections) and the
// replays still succeed with the recorded responses. A listener put on the upstream's port
// afterwards gets no connection from a replay either.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, recordedResponses, answers, recordedStdout, recordExample, replayJson, scratch } from './support/cli.js';
import { sentinel, tryConnect } from './support/stub.js';

const dir = scratch('offline');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('replay with the upstream stopped', () => {
  // price-race uses fetch, double-book http.request: both clients of the program.
  it.each(['price-race', 'double-book'])('%s replays the recorded responses with nothing listening upstream', async (name) => {
    const file = path.join(dir, `${name}.tape`);
    const recording = await recordExample(name, file); // runExample stops the upstream when it returns
    const upstreamPort = Number(new URL(recording.upstreamUrl).port);
    const appPort = Number(new URL(recording.appUrl).port);
    expect(await tryConnect(upstreamPort)).toBe('ECONNREFUSED');
    expect(await tryConnect(appPort)).toBe('ECONNREFUSED');

    const evs = await events(file);
    const outbound = evs.filter((e) => e.kind === 'http.request' && e.direction === 'out');
    expect(outbound.length).toBeGreaterThan(0);
    const { code, result, stderr } = await replayJson(file);
    expect(code, stderr).toBe(0);
    expect(result.ok, result.divergence?.message).toBe(true);
    expect(answers(result.responses)).toEqual(recordedResponses(evs));
    expect(result.stdout).toBe(recordedStdout(evs));
    expect(result.errors).toEqual([]);
  }, 60_000);

  it('sends nothing to the recorded upstream address, even when something listens there again', async () => {
    const file = path.join(dir, 'price-race-sentinel.tape');
    const recording = await recordExample('price-race', file);
    const port = Number(new URL(recording.upstreamUrl).port);
    const listener = await sentinel(port);
    try {
      expect(await tryConnect(port)).toBe('connected'); // the sentinel does count connections
      const before = listener.connections();
      const { result } = await replayJson(file);
      expect(result.ok, result.divergence?.message).toBe(true);
      expect(result.responses.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(listener.connections() - before).toBe(0);
    } finally {
      await listener.close();
    }
  }, 60_000);
});
