import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exploreJson, FIXTURES, looptape, NODE, recordFirstAnswer, ROOT, scratch } from './support.js';

const dir = scratch('explore');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each example with an ordering bug: its passing recording, the faults explore may inject, and
// the one-line explanation naming its two racing deliveries.
const EXAMPLES = [
  { name: 'price-race', faults: [], explanation: 'fails when GET /stock?item=widget answers before GET /price?item=widget answers (for GET /quote?item=widget&qty=5)' },
  { name: 'double-book', faults: [], explanation: "fails when the client's POST /book (2nd time) arrives before POST /reserve answers (for POST /book)" },
  { name: 'lost-update', faults: [], explanation: "fails when the client's POST /cart/add (2nd time) arrives before GET /price?item=apple answers (for POST /cart/add)" },
  { name: 'late-body', faults: [], explanation: 'fails when setTimeout(100) set at examples/late-body/server.mjs:15 fires before the body of GET /file?id=7 ends (for GET /export?id=7)' },
  { name: 'double-charge', faults: ['--faults', 'retries'], explanation: 'fails when a client sends POST /pay again before POST /charge answers (for POST /pay)' },
  { name: 'retry-backoff', faults: ['--faults', 'aborts'], explanation: 'fails when the client of GET /report goes away before setTimeout(100) set at examples/retry-backoff/server.mjs:15 fires' },
];

describe('explore finds the race in a passing recording of each example', () => {
  for (const { name, faults, explanation } of EXAMPLES) {
    const oracle = `js:examples/${name}/oracle.mjs`;
    it(`${name}: found, shrunk to its two racing deliveries, saved, and its strict replay fails the same way`, async () => {
      const passing = path.join(ROOT, 'recordings/examples', `${name}.passing.tape`);
      const out = path.join(dir, `${name}.found.tape`);
      const { run, result } = await exploreJson([passing, ...faults, '--until', oracle, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(result).toMatchObject({ found: true, reason: `${name}: its bug shows`, explanation, out, reproduced: true, seed: 1, strategy: 'pct' });
      expect(result.runs).toBeLessThanOrEqual(5);
      expect(result.differences).toHaveLength(1);
      // The found recording opens like any other: report and events read it.
      expect((await looptape(['events', out, '--kind', 'http.response'])).code).toBe(0);
      expect([0, 1]).toContain((await looptape(['report', out])).code);
    });

    it(`${name}: the fixed code is explored without a failure`, async () => {
      const passing = path.join(ROOT, 'recordings/examples', `${name}.passing.tape`);
      const { run, result } = await exploreJson([passing, ...faults, '--until', oracle, '--runs', '25', '--out', path.join(dir, `${name}.fixed.tape`)], [NODE, `examples/${name}/server.fixed.mjs`]);
      expect(run.code, run.stderr).toBe(1);
      expect(result).toMatchObject({ found: false, runs: 25 });
      expect(result.distinctOrders).toBeGreaterThan(1);
      expect(fs.existsSync(path.join(dir, `${name}.fixed.tape`))).toBe(false);
    });
  }

  it('a found recording replays strictly 20 times out of 20, with the failure each time', async () => {
    const found = path.join(ROOT, 'recordings/examples/price-race.found.tape');
    for (let i = 0; i < 20; i++) {
      const r = await looptape(['replay', found, '--json']);
      expect(r.code, r.stdout).toBe(0);
      const widget = JSON.parse(r.stdout).responses[0];
      expect(JSON.parse(widget.body).total).toBe(60);
    }
    // Twenty Node processes one after another: on a loaded machine that is more than the usual minute.
  }, 180_000);
});

describe('explore is deterministic', () => {
  it('gives the same result for the same seed, with one job or two', async () => {
    const passing = path.join(ROOT, 'recordings/examples/double-book.passing.tape');
    const strip = (r: Record<string, unknown>) => ({ ...r, out: undefined, runsPerSecond: undefined });
    const one = await exploreJson([passing, '--until', 'differs', '--seed', '11', '--jobs', '1', '--out', path.join(dir, 'seed-j1.tape')]);
    const two = await exploreJson([passing, '--until', 'differs', '--seed', '11', '--jobs', '2', '--out', path.join(dir, 'seed-j2.tape')]);
    expect(one.run.code).toBe(0);
    expect(strip(two.result)).toEqual(strip(one.result));
  });

  it('splits the runs between shards', async () => {
    const passing = path.join(ROOT, 'recordings/examples/double-book.passing.tape');
    const { result } = await exploreJson([passing, '--until', 'status>=500', '--runs', '6', '--shard', '2/3']);
    expect(result).toMatchObject({ found: false, runs: 2 });
  });
});

describe('each oracle trips on the order that shows its bug', () => {
  const cases: Array<{ mode: string; until: string; reason: RegExp }> = [
    { mode: 'error', until: 'error', reason: /unhandled rejection Error: cart before user/ },
    { mode: 'exit', until: 'exit!=0', reason: /exit code 3/ },
    { mode: 'status', until: 'status>=500', reason: /GET \/order answered 500/ },
    { mode: 'unanswered', until: 'unanswered', reason: /GET \/order never got an answer/ },
    { mode: 'status', until: 'differs', reason: /GET \/order answered 500 instead of 200/ },
    { mode: 'exit', until: 'stdout~cart answered first', reason: /stdout matched: cart answered first/ },
    { mode: 'stderr', until: 'stderr~warning: .* before', reason: /stderr matched: warning: cart answered before/ },
    { mode: 'finding', until: 'finding:orphaned-task', reason: /^orphaned-task: / },
    { mode: 'status', until: `js:${path.join(FIXTURES, 'cart-first.mjs')}`, reason: /^the cart answered before the user$/ },
  ];
  const tapes = new Map<string, string>();
  beforeAll(async () => {
    for (const mode of new Set(cases.map((c) => c.mode))) {
      const tape = path.join(dir, `first-answer-${mode}.tape`);
      const r = await recordFirstAnswer(tape, mode);
      expect(r.code, r.stderr).toBe(0);
      tapes.set(mode, tape);
    }
  }, 120_000);

  for (const { mode, until, reason } of cases) {
    it(`${until}`, async () => {
      const tape = tapes.get(mode)!;
      // The recording itself passes: in its order /user answered first.
      expect((await looptape(['test', tape, '--until', until])).code).toBe(0);
      const { run, result } = await exploreJson([tape, '--until', until, '--out', path.join(dir, `${mode}-${cases.findIndex((c) => c.until === until)}.found.tape`)]);
      expect(run.code, run.stderr).toBe(0);
      expect(result.reason).toMatch(reason);
      // A body that came a millisecond or more after its head is a delivery of its own: the race is
      // then with the end of /user's body (what `.text()` waits for), else with its answer.
      expect(result.explanation).toMatch(/^fails when (GET \/cart answers|the body of GET \/cart ends) before (GET \/user answers|the body of GET \/user ends) \(for GET \/order\)$/);
    });
  }
});

describe('--faults errors: an outbound call fails instead of being answered', () => {
  const passing = path.join(ROOT, 'recordings/examples/price-race.passing.tape');

  it('finds the crash of a program that does not handle it, and saves a run that crashes every time', async () => {
    const out = path.join(dir, 'price-race.reset.tape');
    const { run, result } = await exploreJson([passing, '--faults', 'errors', '--until', 'error', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(result).toMatchObject({ found: true, reproduced: true, oracle: 'error' });
    expect(result.reason).toMatch(/^unhandled rejection \w*Error: socket hang up$/);
    expect(result.explanation).toMatch(/^fails when GET \/(price|stock)\?item=widget fails \(connection reset\) instead of answering \(for GET \/quote\?item=widget&qty=5\)$/);
    const strict = await looptape(['replay', out, '--json']);
    expect(strict.code, strict.stderr).toBe(0);
    expect(JSON.parse(strict.stdout).errors).toEqual([expect.objectContaining({ kind: 'error.unhandled-rejection', message: 'socket hang up' })]);
  });

  it('finds nothing in a program that answers 502 when its upstream fails', async () => {
    const { run, result } = await exploreJson([passing, '--faults', 'errors', '--until', 'error', '--runs', '30', '--out', path.join(dir, 'guarded.tape')], [NODE, path.join(FIXTURES, 'quote-guarded.mjs')]);
    expect(run.code, run.stderr).toBe(1);
    expect(result).toMatchObject({ found: false, runs: 30 });
    expect(result.distinctOrders).toBeGreaterThan(1);
  });
});

describe('bad input', () => {
  it('names an unknown oracle in one line, exit 2', async () => {
    const r = await looptape(['explore', 'recordings/examples/price-race.passing.tape', '--until', 'sometimes']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown oracle 'sometimes'/);
  });

  it('never replaces an existing --out', async () => {
    const taken = path.join(dir, 'taken.tape');
    fs.writeFileSync(taken, 'mine');
    const r = await looptape(['explore', 'recordings/examples/price-race.passing.tape', '--until', 'differs', '--out', taken]);
    expect(r.code).toBe(2);
    expect(fs.readFileSync(taken, 'utf8')).toBe('mine');
  });
});
