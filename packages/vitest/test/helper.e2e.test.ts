import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRecording, recordedSchedule } from '@looptape/replayer';
import { replayRecording, VERDICT, VitestHelperError } from '@looptape/vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tape = (name: string) => path.join(ROOT, 'recordings/examples', `${name}.found.tape`);
const fixed = (name: string) => ['node', path.join(ROOT, 'examples', name, 'server.fixed.mjs')];

/** The message of the assertion error `check` throws. */
function failure(check: () => void): string {
  try {
    check();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
}

// Every example with a bug: its recording found by explore, or kept with `looptape test --update`.
const KEPT: Array<[string, string]> = [
  ...['price-race', 'double-book', 'lost-update', 'late-body', 'double-charge', 'retry-backoff'].map((name): [string, string] => [name, `${name}.found.tape`]),
  ['timeout-race', 'timeout-race.regression.tape'],
  ['fire-and-forget', 'fire-and-forget.regression.tape'],
];

describe.each(KEPT)('replayRecording on the %s recording (%s)', (name, file) => {
  it('trips the recording\'s oracle on the buggy server and not on the fixed one', async () => {
    const buggy = await replayRecording(path.join(ROOT, 'recordings/examples', file), { cwd: ROOT });
    // Its oracle (explore's, or the one kept with --update) is the example's js: oracle, judged asynchronously.
    await expect(buggy).toTrip();
    expect(buggy[VERDICT].oracles).toEqual([`js:examples/${name}/oracle.mjs`]);
    const good = await replayRecording(path.join(ROOT, 'recordings/examples', file), { command: fixed(name), cwd: ROOT });
    await expect(good).not.toTrip();
    expect(good.responses.length).toBeGreaterThan(0);
  });
});

describe('the matchers', () => {
  it('toTrip says which oracle tripped and why, or that none did', async () => {
    const buggy = await replayRecording(tape('price-race'), { cwd: ROOT, until: 'differs' });
    const good = await replayRecording(tape('price-race'), { command: fixed('price-race'), cwd: ROOT, until: 'differs' });
    expect(failure(() => expect(buggy).not.toTrip())).toMatch(/^expected the replay of recordings\/examples\/price-race\.found\.tape not to trip differs, but differs tripped: GET \/\S+ answered .* instead of /);
    expect(failure(() => expect(good).toTrip())).toBe('expected the replay of recordings/examples/price-race.found.tape to trip differs, but it did not');
    // An oracle given to the matcher is judged on the same run.
    expect(good).not.toTrip('status>=500');
    expect(failure(() => expect(good).toTrip('status>=500'))).toContain('to trip status>=500, but it did not');
  });

  it('toMatchRecordedResponses names the first answer that differs', async () => {
    const buggy = await replayRecording(tape('double-book'), { cwd: ROOT, until: 'differs' });
    const good = await replayRecording(tape('double-book'), { command: fixed('double-book'), cwd: ROOT, until: 'differs' });
    expect(good).toMatchRecordedResponses();
    expect(buggy).not.toMatchRecordedResponses();
    const message = failure(() => expect(buggy).toMatchRecordedResponses());
    expect(message).toMatch(/^expected the replay of recordings\/examples\/double-book\.found\.tape to answer as recorded, but \S+ \/\S+.* answered .* instead of /);
    expect(message).toContain(buggy[VERDICT].trip!.reason);
    expect(failure(() => expect(good).not.toMatchRecordedResponses())).toMatch(/but all \d+ answers were as recorded$/);
  });

  it('toHaveNoFindings lists the findings of the replayed run, of a kind or all', async () => {
    const recorded = (name: string) => path.join(ROOT, 'recordings/examples', `${name}.tape`);
    const [lostRejection, kept] = await Promise.all([
      replayRecording(recorded('fire-and-forget'), { cwd: ROOT }),
      replayRecording(recorded('fire-and-forget'), { command: fixed('fire-and-forget'), cwd: ROOT }),
    ]);
    expect(kept).toHaveNoFindings('unhandled-rejection');
    expect(lostRejection).not.toHaveNoFindings('unhandled-rejection');
    expect(failure(() => expect(lostRejection).toHaveNoFindings('unhandled-rejection'))).toMatch(
      /^expected the replay of recordings\/examples\/fire-and-forget\.tape to have no unhandled-rejection findings, but it has 1: unhandled-rejection: Error: audit of order o4 failed/,
    );
    const [late, inTime] = await Promise.all([
      replayRecording(recorded('timeout-race'), { cwd: ROOT }),
      replayRecording(recorded('timeout-race'), { command: fixed('timeout-race'), cwd: ROOT }),
    ]);
    expect(inTime).toHaveNoFindings();
    expect(failure(() => expect(inTime).not.toHaveNoFindings())).toMatch(/to have findings, but it has none$/);
    expect(failure(() => expect(late).toHaveNoFindings())).toMatch(/to have no findings, but it has \d+: orphaned-task: .* after #\d+ GET \/profile\?user=\w+ was answered/);
  });

  it('tells a run object from replayRecording from anything else', () => {
    expect(() => expect({ responses: [] }).toTrip()).toThrow(/toTrip: expected the run object of replayRecording\(\), got an object without a replay verdict/);
    expect(() => expect(Promise.resolve()).toTrip()).toThrow(/missing await\?/);
  });
});

describe('replayRecording', () => {
  it('resolves the plain run object, its verdict out of sight', async () => {
    const run = await replayRecording(path.relative(process.cwd(), tape('price-race')), { command: fixed('price-race'), cwd: ROOT });
    const printed = JSON.parse(JSON.stringify(run));
    expect(Object.keys(printed)).toEqual(Object.keys(run));
    expect(printed).toMatchObject({ divergence: null, strict: false });
    expect(run[VERDICT].file).toBe(tape('price-race'));
  });

  it('takes other oracles with until', async () => {
    const run = await replayRecording(tape('price-race'), { cwd: ROOT, until: 'status>=500' });
    expect(run[VERDICT].oracles).toEqual(['status>=500']);
    expect(run).not.toTrip();
    expect(run).toTrip('differs');
  });

  it('judges a js: oracle given to toTrip asynchronously', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-vitest-oracle-'));
    try {
      const oracle = path.join(dir, 'total.mjs');
      fs.writeFileSync(oracle, 'export default (run) => run.responses.some((r) => r.body.includes(\'"available":3,"total":60\')) && "charged 60";\n');
      const buggy = await replayRecording(tape('price-race'), { cwd: ROOT });
      const good = await replayRecording(tape('price-race'), { command: fixed('price-race'), cwd: ROOT });
      await expect(buggy).toTrip(`js:${oracle}`);
      await expect(good).not.toTrip(`js:${oracle}`);
      await expect(expect(buggy).not.toTrip(`js:${oracle}`)).rejects.toThrow(/but js:\S+ tripped: charged 60$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers in the order of a schedule given, as a file or as data', async () => {
    // The passing recording's order is a lucky timing under which the buggy server answers as recorded.
    const lucky = recordedSchedule(loadRecording(path.join(ROOT, 'recordings/examples/price-race.passing.tape')).events);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-vitest-schedule-'));
    try {
      const file = path.join(dir, 'lucky.json');
      fs.writeFileSync(file, JSON.stringify({ version: 1, deliveries: lucky.deliveries }));
      const fromFile = await replayRecording(tape('price-race'), { cwd: ROOT, schedule: file });
      await expect(fromFile).not.toTrip();
      expect(fromFile.schedule.map((d) => d.key)).toEqual(lucky.deliveries.map((d) => d.key));
      expect(await replayRecording(tape('price-race'), { cwd: ROOT, schedule: lucky.deliveries })).toMatchRecordedResponses();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a recording it cannot test, saying why', async () => {
    const error = await replayRecording(path.join(ROOT, 'recordings/examples/no-such.tape'), { cwd: ROOT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VitestHelperError);
    expect((error as VitestHelperError).code).toBe('CANNOT_TEST');
    expect((error as Error).message).toContain('no-such.tape');
  });
});
