import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { record, report, TMP } from './cli.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('where a floating promise is reported', () => {
  it('with --stacks, names the call that is missing its await, and where the called function is', () => {
    const tape = record('examples/scripts/lost-result.mjs', ['--stacks']);
    const { code, report: r } = report(tape);
    expect(code).toBe(1);
    const floating = r.findings.find((f) => f.kind === 'floating-promise');
    expect(floating?.location).toBe('examples/scripts/lost-result.mjs:16:1');
    expect(floating?.evidence.calledFunctionAt).toMatch(/^examples\/scripts\/lost-result\.mjs:9:\d+$/);
  });
});
