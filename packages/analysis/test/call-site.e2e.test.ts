import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, looptape, record, report, TMP } from './support/looptape.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('where a floating promise is reported', () => {
  it('with --stacks, names the call that is missing its await, and where the called function is', async () => {
    const tape = await record('examples/scripts/lost-result.mjs', ['--stacks']);
    const { code, report: r } = await report(tape);
    expect(code).toBe(1);
    const floating = r.findings.find((f) => f.kind === 'floating-promise');
    expect(floating?.location).toBe('examples/scripts/lost-result.mjs:16:1');
    expect(floating?.evidence.calledFunctionAt).toMatch(/^examples\/scripts\/lost-result\.mjs:9:\d+$/);
  });
});

describe('a finding in work a library started', () => {
  const line = 'packages/analysis/test/fixtures/unawaited-axios.mjs:12:11';

  // Recorded --tree: a tree derived by replay puts this finding at the program's next line (see
  // the README's "What replay does not do": replay's HTTP client stand-in starts later than Node's).
  it('with --stacks, is at the program line that called the library, with the library line as via', async () => {
    const tape = await record(fixture('unawaited-axios'), ['--tree', '--stacks']);
    const { report: r } = await report(tape);
    const found = r.findings.filter((f) => f.request !== null);
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const f of found) {
      expect(f.location).toBe(line);
      expect(f.evidence.via).toMatch(/node_modules\/.*\.js:\d+:\d+$/);
    }
    expect((await looptape(['report', tape])).stdout).toContain(`at ${line} (via node_modules/`);
  });

  it('without stacks, says the line is in a library and how to see the program line', async () => {
    const tape = await record(fixture('unawaited-axios'));
    const { report: r } = await report(tape);
    const found = r.findings.filter((f) => f.request !== null);
    expect(found.length).toBeGreaterThanOrEqual(1);
    for (const f of found) {
      expect(f.location).toMatch(/node_modules\//);
      expect(f.evidence.inLibrary).toBe('record --stacks to see the program line that led to it');
    }
  });
});
