// Issue 3, point 6: two timers due at the same instant, and a response racing a timer.
// Replay reproduces the recorded order every time; a schedule that swaps them changes
// the outcome, the same way on every run. A timer callback that throws replays as recorded:
// caught by the program's handler, or a crash.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery, ScheduleReport } from '../src/schedule.js';
import { events, fixture, FIXTURES, looptape, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub, type Stub } from './support/stub.js';

const dir = scratch('races');
/** A folder of its own inside the file's. */
const fresh = () => fs.mkdtempSync(path.join(dir, 'run-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function printSchedule(file: string): Promise<ScheduleReport> {
  const r = await looptape(['replay', file, '--print-schedule']);
  if (r.code !== 0) throw new Error(`--print-schedule exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ScheduleReport;
}

function writeSchedule(name: string, deliveries: Delivery[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ version: 1, deliveries }, null, 2));
  return file;
}

/** Replays `times` times; every run must end ok with the same stream; returns the stdout of the runs. */
async function replayTimes(file: string, times: number, args: string[] = []): Promise<string[]> {
  const outs: string[] = [];
  const hashes = new Set<string>();
  for (let i = 0; i < times; i++) {
    const { code, result } = await replayJson(file, args);
    const label = `replay ${i + 1} printed ${JSON.stringify(result.stdout)}: ${result.divergence?.message}`;
    expect(code, label).toBe(0);
    expect(result.ok, label).toBe(true);
    expect(result.delivered, label).toBe(result.scheduled);
    hashes.add(result.streamHash);
    outs.push(result.stdout);
  }
  expect(hashes.size).toBe(1);
  return outs;
}

describe('two timers due at the same instant', () => {
  const tape = path.join(dir, 'same-instant.tape');
  let recordedOut: string;

  beforeAll(async () => {
    await record(tape, [NODE, path.join(FIXTURES, 'same-instant.mjs')]);
    recordedOut = recordedStdout(await events(tape));
  }, 30_000);

  it('are listed as a same-instant group, in their recorded order', async () => {
    const s = await printSchedule(tape);
    expect(s.sameInstant).toHaveLength(1);
    expect(s.sameInstant[0].order).toEqual(['setTimeout(30)#1', 'setTimeout(30)#2']);
    expect(s.deliveries.map((d) => `${d.key}#${d.timer}`)).toEqual(['setTimeout(30)#1', 'setTimeout(30)#2', 'setTimeout(20)#1']);
  });

  it('fire in the recorded order on every replay', async () => {
    expect(recordedOut).toBe('fired open then close: the door is closed\n');
    expect(await replayTimes(tape, 5)).toEqual(Array(5).fill(recordedOut));
  }, 60_000);

  it('fire in the other order under a schedule that swaps them, on every run', async () => {
    const [open, close, check] = (await printSchedule(tape)).deliveries;
    const swapped = writeSchedule('close-first.json', [close, open, check]);
    expect(await replayTimes(tape, 3, ['--schedule', swapped])).toEqual(Array(3).fill('fired close then open: the door is open\n'));
  }, 60_000);
});

describe('a response racing a timer', () => {
  const tape = path.join(dir, 'response-vs-timer.tape');
  let stub: Stub;
  let recordedOut: string;

  beforeAll(async () => {
    // As slow as the program's 40 ms timer: a real race, whichever wins is recorded.
    stub = await startStub({ '/slow': { latencyMs: 40, body: '{"answer":42}' } });
    await record(tape, [NODE, path.join(FIXTURES, 'response-vs-timer.mjs')], { env: { UPSTREAM_URL: stub.url } });
    await stub.close();
    recordedOut = recordedStdout(await events(tape));
  }, 30_000);

  it('ends the way it was recorded on every replay', async () => {
    expect(recordedOut).toMatch(/^winner: (timer|response 42)\n$/);
    expect(await replayTimes(tape, 5)).toEqual(Array(5).fill(recordedOut));
  }, 60_000);

  it('ends the other way under a schedule that moves the timer to the other side of the response, on every run', async () => {
    const { deliveries } = await printSchedule(tape);
    const timer = deliveries.find((d) => d.kind === 'timer' && d.key === 'setTimeout(40)')!;
    const response = deliveries.filter((d) => d.key.endsWith('/slow')); // its head, then any body parts
    expect(timer).toBeDefined();
    expect(response[0]?.kind).toBe('response');
    const others = deliveries.filter((d) => d !== timer && !response.includes(d));
    const timerFirst = deliveries.indexOf(timer) < deliveries.indexOf(response[0]);
    const swapped = writeSchedule('race-swapped.json', timerFirst ? [...response, timer, ...others] : [timer, ...response, ...others]);
    const expected = recordedOut === 'winner: timer\n' ? 'winner: response 42\n' : 'winner: timer\n';
    expect(expected).not.toBe(recordedOut);
    expect(await replayTimes(tape, 3, ['--schedule', swapped])).toEqual(Array(3).fill(expected));
  }, 60_000);
});

describe('timers the program gets from Node', () => {
  let stub: Stub;
  beforeAll(async () => {
    stub = await startStub({ '/slow': { latencyMs: 150, body: '{"answer":42}' } });
  });
  afterAll(() => stub.close());

  it('setInterval and scheduler.wait of node:timers/promises racing a response tick as recorded', async () => {
    const tape = path.join(dir, 'promise-timers.tape');
    await record(tape, [NODE, path.join(FIXTURES, 'promise-timers.mjs')], { env: { UPSTREAM_URL: stub.url } });
    const recordedOut = recordedStdout(await events(tape));
    // 150 ms of upstream latency against a 20 ms interval and a 30 ms wait.
    expect(recordedOut).toMatch(/^when the response came: [1-9]\d* ticks, waited true\nticks in all: 12\n$/);
    expect(await replayTimes(tape, 3)).toEqual(Array(3).fill(recordedOut));
  }, 60_000);

  it('a fetch aborted by AbortSignal.timeout fails with a TimeoutError, as recorded', async () => {
    const tape = path.join(dir, 'abort-timeout.tape');
    await record(tape, [NODE, path.join(FIXTURES, 'abort-timeout.mjs')], { env: { UPSTREAM_URL: stub.url } });
    const recordedOut = recordedStdout(await events(tape));
    expect(recordedOut).toBe('gave up: The operation was aborted due to timeout\n');
    expect(await replayTimes(tape, 3)).toEqual(Array(3).fill(recordedOut));
  }, 60_000);
});

describe('a streamed response racing an interval', () => {
  it('delivers each part and the end of the body where they were recorded', async () => {
    // Parts sent a fixed time apart can reach a program starved for that long in one read, with
    // no tick between them. So the stub sends each further part, and the end, only once the
    // program has printed that it read the part before and then that it ticked.
    let printed = '';
    let releases = 0;
    let recording = true;
    const tickedSinceRead = (n: number): boolean => {
      const lines = printed.split('\n');
      const read = lines.flatMap((l, i) => (l.startsWith('got ') ? [i] : []))[n - 1];
      return read !== undefined && lines.slice(read + 1).some((l) => l.startsWith('tick '));
    };
    const release = async (): Promise<void> => {
      const n = ++releases;
      // Bounded: a program that never gets there fails the check below, not the test's timeout.
      for (const until = Date.now() + 20_000; recording && !tickedSinceRead(n) && Date.now() < until;) await new Promise((r) => setTimeout(r, 5));
    };
    const stub = await startStub({ '/stream': { latencyMs: 10, body: '', chunks: ['one', 'two', 'three'], release } });
    const tape = path.join(dir, 'streamed-body.tape');
    await record(tape, [NODE, path.join(FIXTURES, 'streamed-body.mjs')], { env: { UPSTREAM_URL: stub.url }, onStdout: (d) => (printed += d) }).finally(() => {
      recording = false;
      return stub.close();
    });
    const recordedOut = recordedStdout(await events(tape));
    // Ticks go on between the parts, and between the last part and the end, for both clients.
    for (const client of ['fetch', 'http']) {
      const line = recordedOut.split('\n').find((l) => l.startsWith(`${client}: `)) ?? '';
      const [one, two, three, end] = [...line.matchAll(/@(\d+)/g)].map((m) => Number(m[1]));
      expect(one < two && two < three && three < end, recordedOut).toBe(true);
    }
    expect(await replayTimes(tape, 3)).toEqual(Array(3).fill(recordedOut));
  }, 60_000);
});

describe('a timer callback that throws', () => {
  it('replays ok in a program whose uncaughtException handler logs and carries on: the later timer\'s output is there', async () => {
    const out = path.join(fresh(), 'handled.tape');
    const recorded = await looptape(['record', '--out', out, '--', NODE, fixture('timer-throws.mjs'), 'handled']);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toBe('first timer\ncaught thrown from a timer\nlater timer ran\n');
    const { result, ...run } = await replayJson(out);
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('first timer\ncaught thrown from a timer\nlater timer ran\n');
  });

  it('crashes the program in replay exactly as recorded without a handler (exit 1), and replay reports a match', async () => {
    const out = path.join(fresh(), 'crash.tape');
    const recorded = await looptape(['record', '--out', out, '--', NODE, fixture('timer-throws.mjs')]);
    expect(recorded.code).toBe(1);
    expect(recorded.stderr).toContain('Error: thrown from a timer');
    const { result, ...run } = await replayJson(out);
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.divergence).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('first timer\n');
    expect(result.errors).toMatchObject([{ kind: 'error.uncaught', message: 'thrown from a timer' }]);
    expect(run.stderr).toContain('Error: thrown from a timer');
  });
});
