/**
 * One clock everywhere: however the program reads the time (Date, performance as a global or
 * from node:perf_hooks, timeOrigin, eventLoopUtilization, hrtime) and whichever timers it waits
 * on (globals, node:timers, timers/promises), strict replay hands back the recorded readings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, NODE, events, record, recordedStdout, replayJson, scratch } from './support/cli.js';

const PROGRAM = path.join(FIXTURES, 'clock-ways.mjs');
const dir = scratch('clock-ways');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const WAYS = ['Date', 'performance', 'perf_hooks import', 'perf_hooks require', 'timeOrigin', 'eventLoopUtilization', 'hrtime', 'hrtime.bigint'];
const WAITS = ['node:timers setTimeout', 'node:timers setInterval', 'timers/promises setTimeout', 'timers/promises setInterval', 'scheduler.wait'];

async function recordAndReplay(way: string, wait = 'setTimeout') {
  const tape = path.join(dir, `${way}-${wait}.tape`.replace(/[^\w.-]+/g, '_'));
  const recorded = await record(tape, [NODE, PROGRAM, way, wait]);
  expect(recorded.code, recorded.stderr).toBe(0);
  const printed = JSON.parse(recorded.stdout) as { before: unknown; after: unknown };
  const replayed = await replayJson(tape);
  return { tape, printed, replayed };
}

describe('one clock in replay', () => {
  it.each(WAYS)('hands back the recorded readings of %s', async (way) => {
    const { tape, printed, replayed } = await recordAndReplay(way);
    expect(replayed.result.divergence).toBeNull();
    expect(replayed.result.ok).toBe(true);
    expect(replayed.result.stdout).toBe(recordedStdout(await events(tape)));
    // The readings were real ones: an origin in this century, or moved across the 40 ms wait.
    if (way === 'timeOrigin') expect((printed.before as number[])[0]).toBeGreaterThan(1.6e12);
    else expect(printed.after).not.toEqual(printed.before);
  });

  it.each(WAITS)('keeps the readings around a wait on %s', async (wait) => {
    const { tape, printed, replayed } = await recordAndReplay('perf_hooks require', wait);
    expect(replayed.result.divergence).toBeNull();
    expect(replayed.result.stdout).toBe(recordedStdout(await events(tape)));
    expect((printed.after as number) - (printed.before as number)).toBeGreaterThanOrEqual(39);
    // The wait was the program's own timer, on the virtual clock.
    const sets = (await events(tape, ['timer.set'])).filter((e) => e.kind === 'timer.set' && e.delay === 40);
    expect(sets).toHaveLength(1);
  });
});
