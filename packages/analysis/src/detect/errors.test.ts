import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

describe('uncaught-error', () => {
  it('names the request and the timer path where the failing work started, and the throw site', () => {
    let timer = { timer: 0, resource: 0 };
    const report = analyzeBuilt((b) => {
      const req = b.inbound('GET', '/boom', () => (timer = b.setTimeout(20, 'app.mjs:5:3')));
      b.respond(req);
      b.wait(20).fire(timer, () => b.uncaught('cache refresh failed'));
      b.exit(1);
    });
    expect(report.findings.map((f) => f.kind)).toEqual(['uncaught-error']);
    expect(report.findings[0]).toMatchObject({
      severity: 'error', task: timer.resource, request: 1, taskPath: '#1 GET /boom → setTimeout 20ms', location: '/app/app.mjs:7:11',
      message: 'uncaught Error: cache refresh failed in setTimeout 20ms',
    });
    expect(report.findings[0].evidence.startedAt).toBe('app.mjs:5:3');
  });
});

describe('unhandled-rejection', () => {
  it('is an error when the process crashed and a warning when the program handled it globally', () => {
    const report = analyzeBuilt((b) => {
      const first = b.promise();
      const second = b.promise();
      b.unhandled(first, 'one', true);
      b.unhandled(second, 'two');
      b.exit(1);
    });
    expect(report.findings.map((f) => [f.severity, f.message])).toEqual([
      ['error', 'Error: two rejected an async call nobody awaited'],
      ['warning', "Error: one rejected an async call nobody awaited (the program's own unhandledRejection handler saw it)"],
    ]);
  });

  it('tells a rejected chain (a terminal then) from a floating async call', () => {
    const report = analyzeBuilt((b) => {
      const chained = b.then(b.promise());
      b.unhandled(chained, 'declined');
      b.exit(1);
    });
    expect(report.findings[0].message).toBe('Error: declined rejected a promise nobody handled');
    expect(report.findings[0].taskPath).toBe('main → PROMISE ×2');
  });
});
