import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

describe('leaked-handle', () => {
  it('names the timer that kept a program alive after its last work, when its fire did nothing visible', () => {
    let evict = { timer: 0, resource: 0 };
    const report = analyzeBuilt((b) => {
      b.console('job done');
      evict = b.setTimeout(1000, 'cache.mjs:10:3');
      b.console('all jobs done');
      b.wait(1000).fire(evict).exit(0, []);
    });
    expect(report.findings.map((f) => f.kind)).toEqual(['leaked-handle']);
    expect(report.findings[0]).toMatchObject({ task: evict.resource, location: 'cache.mjs:10:3', request: null });
    expect(report.findings[0].message).toBe('setTimeout 1000ms kept the process alive 1.00 s after its last work; its fires then did nothing visible');
    expect(report.findings[0].reason).toMatchObject({ rule: 'leaked-handle/kept-alive', fine: expect.stringContaining('unref()') });
  });

  it('leaves a late timer alone when its fire did work (printed, or closed a server)', () => {
    const build = (work: 'print' | 'task') => () => analyzeBuilt((b) => {
      const late = b.setTimeout(500);
      b.wait(500).fire(late, () => (work === 'print' ? b.console('bye') : b.init('TickObject')));
      b.exit(0, []);
    });
    expect(build('print')().findings).toEqual([]);
    expect(build('task')().findings).toEqual([]);
  });

  it('reports nothing at a process.exit(), whatever was still open then', () => {
    const report = analyzeBuilt((b) => {
      const interval = b.setInterval(40);
      b.wait(40).fire(interval).wait(40).fire(interval);
      b.exit(0, ['TTYWrap', 'TCPServerWrap', 'TCPSocketWrap', 'Timeout']);
    });
    expect(report.findings).toEqual([]);
  });

  it('reports nothing for an unref\'d interval still armed when the program ended by itself', () => {
    const report = analyzeBuilt((b) => {
      const refresh = b.setInterval(40, 'cache.mjs:7:17');
      b.console('serving');
      b.wait(40).fire(refresh).wait(40).fire(refresh).console('done').exit(0, []);
    });
    expect(report.findings).toEqual([]);
  });

  it('lists leaked-handle as missing, not as found, when a signal stopped the program', () => {
    const report = analyzeBuilt((b) => {
      b.setInterval(40);
      b.wait(100).signal('SIGINT');
    });
    expect(report.findings).toEqual([]);
    expect(report.missing).toContainEqual({ kind: 'leaked-handle', reason: expect.stringContaining('stopped by SIGINT') });
  });
});
