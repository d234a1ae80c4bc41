import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { looptape, record, report, TMP } from './support/looptape.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);

describe('swallowed-error', () => {
  it('names an upstream failure that an empty catch hid behind a 200', async () => {
    const { code, report: r } = await report(await record('examples/scripts/swallowed-error.mjs'));
    expect(code).toBe(1);
    expect(kinds(r)).toEqual(['swallowed-error']);
    expect(r.findings[0]).toMatchObject({ requestLabel: expect.stringMatching(/GET \/profile$/), location: 'examples/scripts/swallowed-error.mjs:12:21' });
    expect(r.findings[0].message).toMatch(/\/avatar answered 503, yet #\d+ GET \/profile was answered 200 with nothing logged or retried$/);
  });

  it('finds nothing when the same failure is logged', async () => {
    expect((await report(await record('examples/correct/error-reported.mjs'))).report.findings).toEqual([]);
  });
});

describe('blocked-loop', () => {
  it('names a handler that computed synchronously past --block, with the request it served and the timer it delayed', async () => {
    const tape = await record('examples/scripts/blocked-loop.mjs');
    const { report: r } = await report(tape);
    const f = r.findings.find((x) => x.kind === 'blocked-loop' && x.requestLabel?.endsWith('POST /report'));
    expect(f?.evidence.blockedMs).toBeGreaterThanOrEqual(100);
    expect(f?.message).toMatch(/^the request handler ran synchronously for \d+ ms, blocking the event loop; 1 timer came due meanwhile \(setInterval 20ms\)$/);
    // Above the callback's time, nothing.
    expect(kinds((await report(tape, ['--block', '5000'])).report)).not.toContain('blocked-loop');
  });

  it('refuses a --block that is not milliseconds', async () => {
    const run = await looptape(['report', 'x.tape', '--block', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--block takes milliseconds/);
  });
});

describe('unbounded-fanout', () => {
  it('names 60 calls in flight at once from one Promise.all, at its line', async () => {
    const tape = await record('examples/scripts/unbounded-fanout.mjs');
    const f = (await report(tape)).report.findings.find((x) => x.kind === 'unbounded-fanout');
    expect(f).toMatchObject({ location: 'examples/scripts/unbounded-fanout.mjs:12:55', evidence: { inFlight: 60, calls: 60, limit: 32 } });
    expect(kinds((await report(tape, ['--fanout', '60'])).report)).not.toContain('unbounded-fanout');
  });

  it('finds no fan-out when a pool keeps 4 calls in flight, even with --fanout 4', async () => {
    const tape = await record('examples/correct/bounded-fanout.mjs');
    expect(kinds((await report(tape, ['--fanout', '4'])).report)).not.toContain('unbounded-fanout');
    expect(kinds((await report(tape, ['--fanout', '3'])).report)).toContain('unbounded-fanout');
  });

  it('refuses a --fanout that is not a whole number', async () => {
    expect((await looptape(['report', 'x.tape', '--fanout', '2.5'])).stderr).toMatch(/--fanout takes a whole number/);
  });
});
