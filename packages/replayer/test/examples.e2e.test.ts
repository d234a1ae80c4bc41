// Issue 3, point 1: every example, recorded in its buggy run, replays with its bug 20 times
// in a row — the same canonical event stream every time, the recorded responses and
// stdout — and does so again while the other core is kept busy by a second process.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { busyCore, events, harness, isRunning, recordedResponses, answers, recordedStdout, recordExample, replayJson, scratch, type JsonReplay } from './support/cli.js';

const EXAMPLES = ['price-race', 'double-book', 'timeout-race', 'fire-and-forget'] as const;
const RUNS = 20;
const dir = scratch('examples');
const recorded = new Map<string, { file: string; events: LoopEvent[] }>();

beforeAll(async () => {
  // One at a time: each recording runs an upstream, the app under the recorder and traffic.
  for (const name of EXAMPLES) {
    const file = path.join(dir, `${name}.tape`);
    await recordExample(name, file);
    recorded.set(name, { file, events: await events(file) });
  }
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Replays `name` RUNS times in a row and checks each run against the recording. */
async function replayRepeatedly(name: string): Promise<JsonReplay[]> {
  const { file, events: evs } = recorded.get(name)!;
  const { bugShown } = await harness();
  const runs: JsonReplay[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await replayJson(file);
    const { result } = r;
    const label = `${name}, replay ${i + 1}: ${result.divergence?.message ?? r.stderr}`;
    expect(r.code, label).toBe(0);
    expect(result.ok, label).toBe(true);
    expect(result.delivered, label).toBe(result.scheduled);
    expect(answers(result.responses), label).toEqual(recordedResponses(evs));
    expect(result.stdout, label).toBe(recordedStdout(evs));
    const traffic = result.responses.map((res) => ({ method: res.method, path: res.url, status: res.status, body: res.body }));
    expect(bugShown(name, { traffic, appStderr: result.stderr, appExitCode: result.exitCode }), label).toBe(true);
    runs.push(r);
  }
  // The same canonical stream every time: one hash over all the runs.
  expect(new Set(runs.map((r) => r.result.streamHash))).toEqual(new Set([runs[0].result.streamHash]));
  return runs;
}

describe(`each example replays with its bug ${RUNS} times in a row`, () => {
  it.each(EXAMPLES)('%s', async (name) => {
    const runs = await replayRepeatedly(name);
    // The recorded exit code too (fire-and-forget's crash on the unhandled rejection is 1).
    const exit = recorded.get(name)!.events.find((e) => e.kind === 'process.exit');
    expect(runs.map((r) => r.result.exitCode)).toEqual(runs.map(() => (exit?.kind === 'process.exit' ? exit.code : 0)));
  }, 180_000);
});

describe(`each example replays with its bug ${RUNS} times in a row while the other core is busy`, () => {
  it.each(EXAMPLES)('%s', async (name) => {
    const busy = busyCore();
    try {
      const runs = await replayRepeatedly(name);
      expect(isRunning(busy.child), 'the busy process ran all along').toBe(true);
      // And the stream is the one of the idle machine: load changes nothing.
      const idle = await replayJson(recorded.get(name)!.file);
      expect(runs[0].result.streamHash).toBe(idle.result.streamHash);
    } finally {
      await busy.stop();
    }
  }, 240_000);
});
