import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../testing.js';

describe('leaked-handle', () => {
  it('names an interval nobody cleared when the program exited by itself', () => {
    let interval = { timer: 0, resource: 0 };
    const report = analyzeBuilt((b) => {
      interval = b.setInterval(40, 'metrics.mjs:7:17');
      b.wait(40).fire(interval).wait(40).fire(interval).exit(0);
    });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'leaked-handle', task: interval.resource, location: 'metrics.mjs:7:17', request: null });
    expect(report.findings[0].message).toBe('setInterval 40ms still active when the program exited (exit code 0), after firing 2 times; nothing cleared it');
  });

  it('reports nothing for cleared or fired timers', () => {
    const report = analyzeBuilt((b) => {
      const interval = b.setInterval(40);
      const once = b.setTimeout(10);
      b.wait(10).fire(once).clear(interval).exit(0);
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

  it('names sockets and servers when the recording lists the handles active at exit', () => {
    const report = analyzeBuilt((b) => {
      b.event({ kind: 'process.active', resources: ['TTYWrap', 'TCPServerWrap', 'TCPSocketWrap', 'Timeout'] });
      b.exit(0);
    });
    expect(report.findings.map((f) => f.message)).toEqual(['2 handles still open when the program exited: TCPServerWrap, TCPSocketWrap']);
    expect(report.missing.map((m) => m.kind)).not.toContain('leaked-handle');
  });
});
