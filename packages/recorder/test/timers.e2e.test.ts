/**
 * Timers and immediates: set (api, delay, repeat, the line of the program that set it),
 * fire and clear, through the globals, `node:timers` and `node:timers/promises`.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopEvent, TimerSet } from '@looptape/recording';
import { events, fixture, killAll, lineOf, looptape, ofKind, removeTemps, tempDir, type Finished } from './support/looptape.js';

const PROGRAM = fixture('timers.mjs');
let run: Finished;
let all: LoopEvent[];

beforeAll(async () => {
  const out = path.join(tempDir(), 'timers.tape');
  run = await looptape(['record', '--out', out, '--', process.execPath, PROGRAM]);
  all = await events(out);
});

afterAll(() => {
  killAll();
  removeTemps();
});

/** The timer.set on the fixture line marked `timer:NAME`. */
function setAt(name: string): TimerSet {
  const line = lineOf(PROGRAM, `timer:${name}`);
  const found = ofKind(all, 'timer.set').filter((e) => new RegExp(`timers\\.mjs:${line}:\\d+$`).test(e.site ?? ''));
  expect(found, `timer.set at line ${line} (timer:${name})`).toHaveLength(1);
  return found[0];
}

const firesOf = (t: TimerSet) => ofKind(all, 'timer.fire').filter((e) => e.timer === t.timer);
const clearsOf = (t: TimerSet) => ofKind(all, 'timer.clear').filter((e) => e.timer === t.timer);

describe('recording timers', () => {
  it('runs the program unchanged', () => {
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('imported fired\ndone after 3 ticks\n');
  });

  it('records exactly the program\'s six timers, each with the line that set it', () => {
    expect(ofKind(all, 'timer.set')).toHaveLength(6);
    for (const name of ['never', 'interval', 'immediate', 'imported', 'promise', 'last']) setAt(name);
  });

  it('records a cleared setTimeout as set then clear, never fired', () => {
    const never = setAt('never');
    expect(never).toMatchObject({ api: 'setTimeout', delay: 500, repeat: false });
    expect(firesOf(never)).toEqual([]);
    expect(clearsOf(never)).toHaveLength(1);
    // It was cleared from the immediate's callback.
    expect(clearsOf(never)[0].task).toBe(setAt('immediate').resource);
  });

  it('records an interval with repeat, each firing in its own task, and its clear after the third', () => {
    const interval = setAt('interval');
    expect(interval).toMatchObject({ api: 'setInterval', delay: 15, repeat: true });
    const fires = firesOf(interval);
    expect(fires).toHaveLength(3);
    for (const f of fires) expect(f.task).toBe(interval.resource);
    const [clear] = clearsOf(interval);
    expect(clear.seq).toBeGreaterThan(fires[2].seq);
    expect(fires[2].t - interval.t).toBeGreaterThanOrEqual(44);
  });

  it('records setImmediate with delay 0, and node:timers and timers/promises timers with their delays', () => {
    expect(setAt('immediate')).toMatchObject({ api: 'setImmediate', delay: 0, repeat: false });
    expect(firesOf(setAt('immediate'))).toHaveLength(1);
    expect(setAt('imported')).toMatchObject({ api: 'setTimeout', delay: 25, repeat: false });
    expect(firesOf(setAt('imported'))).toHaveLength(1);
    expect(setAt('promise')).toMatchObject({ api: 'setTimeout', delay: 60, repeat: false });
    expect(firesOf(setAt('promise'))).toHaveLength(1);
    const last = setAt('last');
    expect(last).toMatchObject({ api: 'setTimeout', delay: 40 });
    expect(firesOf(last)[0].t - last.t).toBeGreaterThanOrEqual(39);
  });
});

describe('the line that set a timer', () => {
  it('is found past frames without a file, deeper than the first two, as well as directly', async () => {
    const program = fixture('deep-caller.mjs');
    const out = path.join(tempDir(), 'deep-caller.tape');
    const result = await looptape(['record', '--out', out, '--', process.execPath, program]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('fired through builtins\nfired through builtins\n');
    const sets = ofKind(await events(out), 'timer.set');
    expect(sets).toHaveLength(2);
    expect(sets[0].site).toMatch(new RegExp(`deep-caller\\.mjs:${lineOf(program, 'timer:builtins')}:\\d+$`));
    expect(sets[1].site).toMatch(new RegExp(`deep-caller\\.mjs:${lineOf(program, 'timer:direct')}:1$`));
  });
});

describe('timers cleared without their handle object', () => {
  it('records clearTimeout(+handle), clearInterval(number) and handle.close() as timer.clear, and report finds no leaked handle', async () => {
    const out = path.join(tempDir(), 'cleared.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('clear-timers.mjs')]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('cleared four timers\n');
    const all = await events(out);
    const long = ofKind(all, 'timer.set').filter((e) => e.delay === 60_000);
    expect(long).toHaveLength(4);
    expect(ofKind(all, 'timer.clear').map((e) => e.timer).sort()).toEqual(long.map((e) => e.timer).sort());
    const report = await looptape(['report', out, '--json']);
    expect(report.code, report.out).toBe(0);
    expect(JSON.parse(report.out).findings).toEqual([]);
  });

  it('(control) the one timer the same program leaves pending has no timer.clear', async () => {
    // Not through report: a timer still pending at a process.exit() is cut off on purpose, not a leak.
    const out = path.join(tempDir(), 'kept.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('clear-timers.mjs'), 'keep']);
    expect(run.code, run.err).toBe(0);
    const all = await events(out);
    const kept = ofKind(all, 'timer.set').filter((e) => e.delay === 45_000);
    expect(kept).toHaveLength(1);
    expect(kept[0].site).toMatch(new RegExp(`clear-timers\\.mjs:${lineOf(fixture('clear-timers.mjs'), "'kept FIRED'")}:`));
    expect(ofKind(all, 'timer.clear').map((e) => e.timer)).not.toContain(kept[0].timer);
    expect(ofKind(all, 'timer.clear')).toHaveLength(4);
  });
});
