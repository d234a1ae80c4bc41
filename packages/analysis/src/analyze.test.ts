import { describe, expect, it } from 'vitest';
import { hasProblems } from './findings.js';
import { analyzeBuilt } from '../test/support/analyze-built.js';

describe('analyze', () => {
  it('lists the kinds a --no-promises recording cannot answer for, and still finds timer work', () => {
    const report = analyzeBuilt(
      (b) => {
        // No task hooks: the recorder writes events only.
        b.event({ kind: 'http.request', exchange: 1, direction: 'in', method: 'GET', url: '/x', headers: {}, body: '', scope: 1 });
        b.event({ kind: 'timer.set', timer: 1, api: 'setTimeout', delay: 50, repeat: false, resource: 77, site: 'app.mjs:3:1', scope: 1 });
        b.event({ kind: 'http.response', exchange: 1, direction: 'in', status: 200, headers: {}, body: '', scope: 1 });
        b.wait(50).event({ kind: 'timer.fire', timer: 1, task: 77, scope: 1 });
        b.exit(0);
      },
      {},
      { promises: false },
    );
    expect(report.missing.map((m) => [m.kind, m.partial ?? false])).toEqual([
      ['floating-promise', false], ['orphaned-task', true], ['rogue-loop', true], ['blocked-loop', false], ['leaked-handle', false],
    ]);
    expect(report.findings.map((f) => [f.kind, f.taskPath])).toEqual([['orphaned-task', '#1 GET /x → setTimeout 50ms']]);
  });

  it('orders findings most severe first, and only info findings leave the exit status clean', () => {
    const report = analyzeBuilt((b) => {
      const req = b.inbound('GET', '/slow');
      b.wait(30).respond(req);
      b.setInterval(10);
      b.uncaught('late');
      b.exit(1);
    }, { slowMs: 10 });
    expect(report.findings.map((f) => f.severity)).toEqual(['error', 'info']);
    expect(hasProblems(report)).toBe(true);
    expect(hasProblems({ findings: report.findings.filter((f) => f.severity === 'info'), missing: [] })).toBe(false);
  });
});
