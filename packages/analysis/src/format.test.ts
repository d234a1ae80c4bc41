import { describe, expect, it } from 'vitest';
import type { Finding, Report } from './findings.js';
import { formatReport } from './format.js';

const base = { task: null, location: null, evidence: {}, reason: { rule: 'x/y', why: 'because', evidence: [1] } };
const f = (over: Partial<Finding> & Pick<Finding, 'kind' | 'severity' | 'seq'>): Finding => ({
  message: over.kind, taskPath: 'main', request: null, requestLabel: null, ...base, ...over,
});

describe('formatReport', () => {
  it('groups findings by request, the group with the most severe finding first', () => {
    const report: Report = {
      findings: [
        f({ kind: 'leaked-handle', severity: 'warning', seq: 1 }),
        f({ kind: 'slow-request', severity: 'info', seq: 2, request: 3, requestLabel: '#3 GET /a' }),
        f({ kind: 'orphaned-task', severity: 'warning', seq: 5, request: 3, requestLabel: '#3 GET /a' }),
        f({ kind: 'uncaught-error', severity: 'error', seq: 9, request: 7, requestLabel: '#7 POST /b', location: '/app/src/b.mjs:4:2' }),
      ],
      missing: [{ kind: 'floating-promise', reason: 'recorded with --no-promises' }],
    };
    const lines = formatReport(report, { file: 'x.tape', cwd: '/app' }).split('\n');
    expect(lines[0]).toBe('4 findings in x.tape: 1 error, 2 warnings, 1 info');
    const heads = lines.filter((l) => l && !l.startsWith(' '));
    expect(heads.slice(1)).toEqual(['#7 POST /b', 'outside any request', '#3 GET /a', 'not checked: floating-promise: recorded with --no-promises']);
    expect(lines).toContain(`${' '.repeat(31)}at src/b.mjs:4:2`);
    const a = lines.indexOf('#3 GET /a');
    expect(lines[a + 1]).toMatch(/^ {2}warning +orphaned-task/);
    expect(lines[a + 4]).toMatch(/^ {2}info +slow-request/);
    expect(lines[a + 3]).toBe(`${' '.repeat(31)}why: because [x/y]`);
  });

  it('lists suppressed findings apart, with what suppressed them, and does not count them', () => {
    const report: Report = { findings: [], missing: [], suppressed: [f({ kind: 'rogue-loop', severity: 'warning', seq: 4, suppressedBy: 'looptape.config.json (rules)' })] };
    const text = formatReport(report, { file: 'x.tape' });
    expect(text.split('\n')[0]).toBe('no findings in x.tape');
    expect(text).toContain('suppressed (1, not counted):\n  rogue-loop');
    expect(text).toContain('by looptape.config.json (rules)');
  });

  it('says so when there is nothing to report', () => {
    expect(formatReport({ findings: [], missing: [] }, { file: 'ok.tape' })).toBe('no findings in ok.tape');
  });
});
