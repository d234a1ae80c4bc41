import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJunit } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { looptape, NODE, ROOT, scratch } from './support.js';

const dir = scratch('test-command');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('looptape test keeps a caught bug as a regression test', () => {
  // Found by explore (the ordering bugs), or kept with `test --until … --update` (the others).
  const RECORDINGS = [
    ...['price-race', 'double-book', 'lost-update', 'late-body', 'double-charge', 'retry-backoff'].map((name) => ({ name, file: `${name}.found.tape` })),
    ...['timeout-race', 'fire-and-forget'].map((name) => ({ name, file: `${name}.regression.tape` })),
  ];
  for (const { name, file } of RECORDINGS) {
    it(`${name}: fails on the buggy server, passes on the fixed one, and never changes the recording`, async () => {
      const found = path.join(ROOT, 'recordings/examples', file);
      const before = sha(found);
      const buggy = await looptape(['test', found]);
      expect(buggy.code, buggy.stdout + buggy.stderr).toBe(1);
      expect(buggy.stdout).toMatch(new RegExp(`^FAIL  recordings/examples/${file}  \\[js:examples/${name}/oracle.mjs\\]\\n {6}js:examples/${name}/oracle.mjs: ${name}: its bug shows`, 'm'));
      const fixed = await looptape(['test', found, '--', NODE, `examples/${name}/server.fixed.mjs`]);
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(fixed.stdout).toMatch(/^PASS /m);
      expect(sha(found)).toBe(before);
    });
  }

  it('without an oracle, checks every inbound answer against the recording', async () => {
    // The recording of the buggy price-race quotes 60; the fixed code quotes 36.
    const r = await looptape(['test', 'recordings/examples/price-race.tape', '--', NODE, 'examples/price-race/server.fixed.mjs']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/differs: GET \/quote\?item=widget&qty=5 answered \{.*"total":36\} instead of \{.*"total":60\}/);
    expect((await looptape(['test', 'recordings/examples/price-race.tape'])).code).toBe(0);
  });

  it('shows a request the recording has no answer for against the nearest recorded ones, exit 2', async () => {
    const edited = path.join(ROOT, 'examples/price-race', '.edited-server.mjs');
    fs.writeFileSync(edited, fs.readFileSync(path.join(ROOT, 'examples/price-race/server.mjs'), 'utf8').replace("getJson('/stock')", "getJson('/inventory')"));
    try {
      const r = await looptape(['test', 'recordings/examples/price-race.passing.tape', '--', NODE, edited]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stdout).toMatch(/^ERROR recordings\/examples\/price-race.passing.tape/m);
      expect(r.stdout).toMatch(/cannot test: the program made a request the recording does not have: GET http:\/\/127\.0\.0\.1:\d+\/inventory\?item=widget/);
      expect(r.stdout).toMatch(/nearest recorded: GET http:\/\/127\.0\.0\.1:\d+\/stock\?item=widget \(URL http:\/\/127\.0\.0\.1:\d+\/stock\?item=widget instead of http:\/\/127\.0\.0\.1:\d+\/inventory\?item=widget\)/);
    } finally {
      fs.rmSync(edited, { force: true });
    }
  });

  it('runs every recording in a folder, one line each', async () => {
    const folder = path.join(dir, 'suite');
    fs.mkdirSync(folder);
    for (const f of ['price-race.found.tape', 'double-book.found.tape', 'price-race.passing.tape']) fs.copyFileSync(path.join(ROOT, 'recordings/examples', f), path.join(folder, f));
    const r = await looptape(['test', folder]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => /^(PASS|FAIL|ERROR)/.test(l));
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['FAIL', 'FAIL', 'PASS']);
    expect(r.stdout).toMatch(/3 recordings: 1 passed, 2 failed, 0 could not be tested/);
  });

  it('writes JUnit XML that a JUnit parser reads', async () => {
    const r = await looptape(['test', 'recordings/examples/price-race.found.tape', 'recordings/examples/price-race.passing.tape', '--reporter', 'junit']);
    expect(r.code).toBe(1);
    const report = (await parseJunit(r.stdout)) as { tests?: number; failures?: number; testsuite?: Array<{ testcase?: Array<{ name?: string; failure?: Array<{ message?: string }> }> }> };
    expect(report).toMatchObject({ tests: 2, failures: 1 });
    const cases = report.testsuite![0].testcase!;
    expect(cases.map((c) => c.name)).toEqual(['recordings/examples/price-race.found.tape', 'recordings/examples/price-race.passing.tape']);
    expect(cases[0].failure![0].message).toBe('js:examples/price-race/oracle.mjs: price-race: its bug shows');
  });

  it('--update keeps what the code does now, with the oracle given, in a new file', async () => {
    const copy = path.join(dir, 'quote.tape');
    fs.copyFileSync(path.join(ROOT, 'recordings/examples/price-race.tape'), copy);
    const before = sha(copy);
    const r = await looptape(['test', copy, '--until', 'differs', '--update', '--', NODE, 'examples/price-race/server.fixed.mjs']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const updated = path.join(dir, 'quote.updated.tape');
    expect(r.stdout).toMatch(/updated: .*quote\.updated\.tape now expects what the code does/);
    expect(sha(copy)).toBe(before);
    // The updated recording expects the fixed answers: the fixed code passes, the buggy one fails.
    expect((await looptape(['test', updated, '--', NODE, 'examples/price-race/server.fixed.mjs'])).code).toBe(0);
    const buggy = await looptape(['test', updated, '--', NODE, 'examples/price-race/server.mjs']);
    expect(buggy.code).toBe(1);
    expect(buggy.stdout).toMatch(/\[differs\]/);
    // A second --update would replace it: refused without --force.
    const again = await looptape(['test', copy, '--update']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('a bad file is one line and exit 2', async () => {
    const junk = path.join(dir, 'junk.tape');
    fs.writeFileSync(junk, 'not a recording');
    const r = await looptape(['test', junk]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR /m);
    expect(fs.readFileSync(junk, 'utf8')).toBe('not a recording');
  });
});
