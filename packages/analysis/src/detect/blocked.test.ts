import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

describe('blocked-loop', () => {
  it('reads a recording with 150,000 timers (a spread of them as arguments overflowed the stack)', () => {
    const report = analyzeBuilt((b) => {
      const timers = Array.from({ length: 150_000 }, () => b.setTimeout(1, 'app.mjs:4:3'));
      b.wait(1);
      for (const timer of timers) b.fire(timer);
      b.exit(0);
    });
    expect(report.findings.filter((f) => f.kind === 'blocked-loop')).toEqual([]);
  }, 120_000);
});
