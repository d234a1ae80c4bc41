import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/findings.js';
import { fixture, looptape, record, report, ROOT, TMP } from './support/looptape.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);

describe('looptape report on servers', () => {
  it('names a timer that calls the payment service after the response as an orphaned task', async () => {
    const { code, report: r } = await report(await record(fixture('orphan-server')));
    expect(code).toBe(1);
    expect(kinds(r)).toEqual(['orphaned-task']);
    const [f] = r.findings;
    expect(f.requestLabel).toMatch(/^#\d+ POST \/checkout$/);
    expect(f.taskPath).toMatch(/POST \/checkout → setTimeout 50ms$/);
    expect(f.location).toBe(`${fixture('orphan-server')}:10:3`);
    expect(f.message).toMatch(/1 outbound call \(POST http:\/\/127\.0\.0\.1:\d+\/charge\)/);
  });

  it('names a retry loop that outlives its request as a rogue loop', async () => {
    const { code, report: r } = await report(await record(fixture('rogue-loop-server')));
    expect(code).toBe(1);
    expect(kinds(r)).toEqual(['rogue-loop']);
    expect(r.findings[0]).toMatchObject({ requestLabel: expect.stringMatching(/GET \/watch$/), location: `${fixture('rogue-loop-server')}:6:3` });
    expect(r.findings[0].evidence.fires).toBeGreaterThanOrEqual(5);
  });

  it('names the request a handler forgot to answer', async () => {
    const { report: r } = await report(await record(fixture('unanswered-server')));
    expect(kinds(r)).toEqual(['unanswered-request']);
    expect(r.findings[0].requestLabel).toMatch(/GET \/hang$/);
    expect(r.findings[0].message).toMatch(/its client went away after/);
  });

  it('gives an uncaught error the path of the request whose timer threw', async () => {
    const { report: r } = await report(await record(fixture('uncaught-server')));
    expect(kinds(r)).toEqual(['uncaught-error']);
    expect(r.findings[0].taskPath).toMatch(/^#\d+ GET \/boom → setTimeout 20ms$/);
    expect(r.findings[0].location).toMatch(/uncaught-server\.mjs:6:11$/);
    expect(r.missing.map((m) => m.kind)).toContain('leaked-handle');
  });

  it('says where a slow request spent its time, as info that keeps exit 0', async () => {
    const file = await record(fixture('slow-server'));
    // Under --slow, nothing (the default, 1 s, is not used: a loaded machine can take that long).
    expect((await report(file, ['--slow', '5000'])).report.findings).toEqual([]);
    const { code, report: r } = await report(file, ['--slow', '100']);
    expect(code).toBe(0);
    const f = r.findings.find((x) => x.requestLabel?.endsWith('GET /report'))!;
    expect(f).toMatchObject({ kind: 'slow-request', severity: 'info' });
    expect(f.message).toMatch(/waiting on GET http:\/\/127\.0\.0\.1:\d+\/numbers, \d+ ms in setTimeout 60ms/);
  });
});

describe('looptape report on scripts', () => {
  it('names a polling loop nothing stops', async () => {
    const { report: r } = await report(await record(fixture('rogue-loop-script')));
    expect(kinds(r)).toEqual(['rogue-loop']);
    expect(r.findings[0].location).toBe(`${fixture('rogue-loop-script')}:5:15`);
  });

  it('names an uncaught error and its timer', async () => {
    const { code, report: r } = await report(await record(fixture('uncaught-script')));
    expect(code).toBe(1);
    expect(kinds(r)).toEqual(['uncaught-error']);
    expect(r.findings[0].taskPath).toMatch(/setTimeout 10ms$/);
  });

  it('names the eviction timers that keep examples/scripts/kept-alive.mjs alive after its work', async () => {
    const { report: r } = await report(await record('examples/scripts/kept-alive.mjs'));
    expect(kinds(r)).toEqual(['leaked-handle']);
    expect(r.findings[0].location).toBe('examples/scripts/kept-alive.mjs:10:3');
    expect(r.findings[0].evidence.lingeredMs).toBeGreaterThanOrEqual(900);
  });

  it('names the save nobody awaited in examples/scripts/lost-result.mjs', async () => {
    const { report: r } = await report(await record('examples/scripts/lost-result.mjs'));
    expect(kinds(r)).toEqual(['floating-promise']);
    expect(r.findings[0].location).toBe('examples/scripts/lost-result.mjs:10:9');
  });

  it('names the rejection of examples/scripts/unhandled-rejection.mjs as one finding, with its throw site', async () => {
    const { report: r } = await report(await record('examples/scripts/unhandled-rejection.mjs'));
    expect(kinds(r)).toEqual(['unhandled-rejection']);
    expect(r.findings[0]).toMatchObject({ severity: 'error', location: expect.stringMatching(/unhandled-rejection\.mjs:15:9$/) });
    expect(r.findings[0].evidence.floating).toBe(true);
  });
});

describe('looptape report on correct programs', () => {
  const programs = fs.readdirSync(path.join(ROOT, 'examples/correct')).filter((f) => f.endsWith('.mjs')).map((f) => `examples/correct/${f}`);
  it('has the corpus of correct programs the issue asks for', () => expect(programs.length).toBeGreaterThanOrEqual(12));
  for (const program of programs) {
    it(`finds nothing in ${path.basename(program)} and exits 0`, async () => {
      const { code, report: r } = await report(await record(program));
      expect(r.findings).toEqual([]);
      expect(code).toBe(0);
    });
  }
});

describe('looptape report, the command', () => {
  it('lists what a lean recording whose tree cannot be derived cannot check, and still reports the orphaned timer', async () => {
    // The program is gone by the time of the report: replay cannot run it to derive the tree.
    const dir = fs.mkdtempSync(path.join(TMP, 'gone-'));
    const program = path.join(dir, 'orphan-server.mjs');
    fs.copyFileSync(path.join(ROOT, fixture('orphan-server')), program);
    fs.copyFileSync(path.join(ROOT, 'packages/analysis/test/fixtures/serve.mjs'), path.join(dir, 'serve.mjs'));
    const file = await record(program);
    fs.rmSync(program);
    const run = await looptape(['report', file, '--json']);
    expect(run.stderr).toMatch(/^looptape: .* was recorded lean and its task tree could not be derived: cannot replay: the program .*orphan-server\.mjs is not in .*; showing the recording without it\n$/);
    const r = JSON.parse(run.stdout) as Report;
    expect(r.missing.find((m) => m.kind === 'floating-promise')?.reason).toMatch(/recorded lean, and its task tree could not be derived/);
    expect(kinds(r)).toEqual(['orphaned-task']);
  });

  it('prints text grouped by request', async () => {
    const run = await looptape(['report', await record(fixture('orphan-server'))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 finding in .*: 1 warning\n\n#\d+ POST \/checkout\n {2}warning +orphaned-task +setTimeout 50ms fired/);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const missing = await looptape(['report', path.join(ROOT, 'no-such.tape')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect((await looptape(['report'])).code).toBe(2);
    expect((await looptape(['report', 'x', '--slow', 'soon'])).stderr).toMatch(/--slow takes milliseconds/);
  });
});
