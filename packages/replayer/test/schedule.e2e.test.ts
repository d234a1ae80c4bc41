// Issue 3, point 4: the schedule as data. --print-schedule prints deliveries, latencies,
// arrivals and same-instant groups; one recording replayed under two hand-written schedules
// (price-race's /price before /stock for one quote, then /stock before /price) gives two
// outcomes, each the same on every run; a bad schedule file is refused with one line; a
// schedule edited by hand may leave out `t`, and one that drops a delivery ends with ok false.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { serve, type TestServer } from '../../recorder/test/support/looptape.js';
import type { ReplayResult } from '../src/result.js';
import type { Delivery, ScheduleReport } from '../src/schedule.js';
import { events, fixture, looptape, NODE, recordExample, replayJson, scratch } from './support/cli.js';

const dir = scratch('schedule');
/** A folder of its own inside the file's. */
const fresh = () => fs.mkdtempSync(path.join(dir, 'run-'));
const tape = path.join(dir, 'price-race.tape');
let printed: ScheduleReport;
let evs: LoopEvent[];

beforeAll(async () => {
  await recordExample('price-race', tape);
  const r = await looptape(['replay', tape, '--print-schedule']);
  if (r.code !== 0) throw new Error(`--print-schedule exited ${r.code}: ${r.stderr}`);
  printed = JSON.parse(r.stdout) as ScheduleReport;
  evs = await events(tape);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pathOf = (d: Delivery) => new URL(d.key.split(' ')[1]).pathname;
const write = (name: string, data: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
};

/** The recorded deliveries with the first quote's two responses in the given order. */
function firstQuote(order: ['/price' | '/stock', '/price' | '/stock']): Delivery[] {
  const all = printed.deliveries;
  const mine = all.filter((d) => d.kind === 'response' && d.key.endsWith('?item=widget'));
  expect(mine.map(pathOf).sort()).toEqual(['/price', '/stock']);
  const [first, second] = order.map((p) => mine.find((d) => pathOf(d) === p)!);
  const at = all.indexOf(mine[0]);
  const rest = all.filter((d) => !mine.includes(d));
  return [...rest.slice(0, at), first, second, ...rest.slice(at)];
}

describe('--print-schedule', () => {
  it('prints the deliveries in recorded order, with latencies per outbound exchange and arrivals per inbound request', () => {
    const outbound = evs.filter((e): e is Extract<LoopEvent, { kind: 'http.request' }> => e.kind === 'http.request' && e.direction === 'out');
    const inbound = evs.filter((e): e is Extract<LoopEvent, { kind: 'http.request' }> => e.kind === 'http.request' && e.direction === 'in');
    expect(printed.version).toBe(1);
    expect(printed.deliveries.map((d) => d.kind)).toEqual(['request', 'response', 'response', 'request', 'response', 'response', 'request', 'response', 'response']);
    for (const d of printed.deliveries) expect(d).toMatchObject({ key: expect.any(String), occurrence: 1, t: expect.any(Number) });
    const times = printed.deliveries.map((d) => d.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The recorded order of the bug: /stock answers before /price for every quote.
    expect(printed.deliveries.filter((d) => d.kind === 'response').map(pathOf)).toEqual(['/stock', '/price', '/stock', '/price', '/stock', '/price']);

    expect(printed.latencies).toHaveLength(outbound.length);
    expect(printed.latencies.map((l) => l.key).sort()).toEqual(outbound.map((e) => `GET ${e.url}`).sort());
    for (const l of printed.latencies) {
      expect(l.latencyMs).toBeCloseTo(l.answeredT - l.sentT, 2);
      expect(l.latencyMs).toBeGreaterThan(0);
    }
    // The stub's latencies: /price 150 ms, /stock 5 ms — /price is the slower one each time.
    const latency = (p: string, item: string) => printed.latencies.find((l) => l.key.endsWith(`${p}?item=${item}`))!.latencyMs;
    for (const item of ['widget', 'gadget', 'gizmo']) expect(latency('/price', item)).toBeGreaterThan(latency('/stock', item));

    expect(printed.arrivals).toEqual(inbound.map((e) => ({ key: `GET ${e.url}`, occurrence: 1, t: e.t })));
    expect(printed.sameInstant).toEqual([]);
  });
});

describe('--schedule', () => {
  it('gives two outcomes for /price before /stock and /stock before /price, each the same on every run', async () => {
    const priceFirst = write('price-first.json', { version: 1, deliveries: firstQuote(['/price', '/stock']) });
    const stockFirst = write('stock-first.json', { version: 1, deliveries: firstQuote(['/stock', '/price']) });
    const outcome = async (schedule: string) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const { code, result } = await replayJson(tape, ['--schedule', schedule]);
        expect(code, result.divergence?.message).toBe(0);
        expect(result.ok).toBe(true);
        expect(result.delivered).toBe(9);
        runs.push(result);
      }
      expect(new Set(runs.map((r) => r.streamHash)).size).toBe(1);
      expect(new Set(runs.map((r) => JSON.stringify(r.responses))).size).toBe(1);
      return runs[0];
    };
    const a = await outcome(priceFirst);
    const b = await outcome(stockFirst);
    const total = (r: typeof a) => (JSON.parse(r.responses[0].body) as { total: number }).total;
    expect(total(a)).toBe(36); // min(5, 3 in stock) * 12: the stock answer, last, caps the quantity
    expect(total(b)).toBe(60); // 5 * 12: the bug
    expect(a.stdout).toMatch(/^quote widget x5: 36$/m);
    expect(a.streamHash).not.toBe(b.streamHash);
    // Only the first quote differs.
    expect(a.responses.slice(1)).toEqual(b.responses.slice(1));
    expect(a.strict).toBe(false);
    expect(b.strict).toBe(true); // the recorded order, given as a file, is a strict replay
  }, 60_000);

  it('reports a schedule that delivers a response before its request was made, exit 1', async () => {
    const d = printed.deliveries;
    const early = write('early.json', { version: 1, deliveries: [d[0], d[4], ...d.slice(1, 4), ...d.slice(5)] }); // gadget's /stock answer during the first quote
    const { code, result } = await replayJson(tape, ['--schedule', early]);
    expect(code).toBe(1);
    expect(result.divergence).toMatchObject({ code: 'UNDELIVERABLE', message: expect.stringMatching(/stock\?item=gadget.*has not sent that request/) });
  }, 30_000);
});

describe('a bad schedule file', () => {
  const refused = async (schedule: string, message: RegExp) => {
    const r = await looptape(['replay', tape, '--schedule', schedule]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/^looptape: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\s+at \S+ \(/); // no stack frames
  };

  it('missing: exit 2, one line', async () => {
    await refused(path.join(dir, 'no-such-schedule.json'), /no-such-schedule\.json.*no such file/);
  });

  it('not JSON (a text file, ending in a newline as files do): exit 2, one line', async () => {
    await refused(write('not-json.json', 'first /price\nthen /stock\n'), /not-json\.json/);
    // A short one: the parser's message quotes it whole, newline included.
    await refused(write('todo.json', 'todo\n'), /todo\.json/);
  });

  it('JSON without deliveries: exit 2, one line', async () => {
    await refused(write('no-deliveries.json', { version: 1, steps: [] }), /no-deliveries\.json.*deliveries/);
  });

  it('a delivery of an unknown kind: exit 2, one line', async () => {
    await refused(write('bad-kind.json', { version: 1, deliveries: [{ kind: 'teleport', key: 'x', occurrence: 1, t: 0 }] }), /bad-kind\.json: delivery 1: kind must be one of timer, /);
  });
});

describe('a schedule edited by hand', () => {
  let upstream: TestServer | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  async function recordWait(): Promise<{ tape: string; dir: string; deliveries: Array<Record<string, unknown>> }> {
    upstream = await serve((_req, res) => void setTimeout(() => res.end('forty-two'), 10));
    const dir = fresh();
    const tape = path.join(dir, 'wait.tape');
    const recorded = await looptape(['record', '--out', tape, '--', NODE, fixture('wait-upstream.mjs'), upstream.url]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toBe('timer done\nanswer forty-two\n');
    const printed = await looptape(['replay', tape, '--print-schedule']);
    expect(printed.code, printed.stderr).toBe(0);
    const deliveries = JSON.parse(printed.stdout).deliveries as Array<Record<string, unknown>>;
    expect(deliveries.map((d) => d.kind)).toEqual(['timer', 'response']);
    return { tape, dir, deliveries };
  }

  it('accepts a delivery without t (t is not required by the schema)', async () => {
    const { tape, dir, deliveries } = await recordWait();
    const schedule = path.join(dir, 'no-t.json');
    fs.writeFileSync(schedule, JSON.stringify({ version: 1, deliveries: deliveries.map(({ t: _t, ...rest }) => rest) }));
    const run = await looptape(['replay', tape, '--json', '--schedule', schedule]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ReplayResult;
    expect(result.ok, JSON.stringify(result.divergence)).toBe(true);
    expect(result.stdout).toBe('timer done\nanswer forty-two\n');
  });

  it('ends with ok false (exit 1) when the schedule drops a delivery the program then waits for', async () => {
    const { tape, dir, deliveries } = await recordWait();
    const schedule = path.join(dir, 'dropped.json');
    fs.writeFileSync(schedule, JSON.stringify({ version: 1, deliveries: deliveries.filter((d) => d.kind !== 'response') }));
    const { result, ...run } = await replayJson(tape, ['--schedule', schedule]);
    expect(result.stdout).toBe('timer done\n'); // the program is left waiting for its answer
    expect(result.ok, JSON.stringify(result)).toBe(false);
    expect(run.code).toBe(1);
  });
});
