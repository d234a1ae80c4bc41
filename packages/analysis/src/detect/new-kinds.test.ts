import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);

describe('swallowed-error', () => {
  const build = (after: 'nothing' | 'log' | 'retry' | 'error-status') => analyzeBuilt((b) => {
    let call = 0;
    let step = 0;
    const req = b.inbound('GET', '/profile', () => {
      call = b.outbound('GET', 'http://avatars.test/a', 'app.mjs:9:5');
      step = b.then(b.promise());
    });
    b.wait(5).answer(call, 503, req);
    if (after === 'log') b.console('avatar failed');
    // The retry is made by the handler's continuation, in the request's scope.
    if (after === 'retry') b.run(step, () => b.outbound('GET', 'http://avatars.test/a', 'app.mjs:9:5'));
    b.respond(req, after === 'error-status' ? 502 : 200).exit(0);
  });

  it('names an outbound failure followed by a success answer with nothing done about it', () => {
    const report = build('nothing');
    expect(kinds(report)).toEqual(['swallowed-error']);
    expect(report.findings[0]).toMatchObject({ location: 'app.mjs:9:5', request: 1 });
  });

  it('leaves a failure alone when it was logged, retried or answered as an error', () => {
    for (const after of ['log', 'retry', 'error-status'] as const) expect(kinds(build(after))).not.toContain('swallowed-error');
  });
});

describe('unbounded-fanout', () => {
  const build = (n: number, fanout?: number) => analyzeBuilt((b) => {
    const calls: number[] = [];
    const req = b.inbound('GET', '/cart', () => {
      for (let i = 0; i < n; i++) calls.push(b.outbound('GET', `http://prices.test/${i}`, 'app.mjs:12:40'));
    });
    for (const c of calls) b.wait(1).answer(c, 200, req);
    b.respond(req).exit(0);
  }, { fanout });

  it('names more calls than --fanout from one site in flight at once for one request', () => {
    const report = build(40);
    expect(kinds(report)).toEqual(['unbounded-fanout']);
    expect(report.findings[0].evidence).toMatchObject({ inFlight: 40, calls: 40, limit: 32 });
  });

  it('stays quiet at or under the limit', () => {
    expect(kinds(build(32))).toEqual([]);
    expect(kinds(build(40, 40))).toEqual([]);
  });
});

describe('blocked-loop', () => {
  /** A handler that computes for `blockMs`, reading the clock every 5 ms (or never, `silent`: the process paused). */
  const build = (blockMs: number, withTimer: boolean, silent = false) => analyzeBuilt((b) => {
    const beat = withTimer ? b.setInterval(20, 'app.mjs:3:1') : null;
    if (beat) b.wait(20).fire(beat);
    const req = b.inbound('POST', '/report', () => {
      if (silent) b.wait(blockMs);
      else for (let t = 0; t < blockMs; t += 5) b.wait(5).event({ kind: 'nondet', source: 'Date.now', value: b.t });
    });
    if (beat) b.fire(beat).clear(beat);
    b.respond(req).exit(0);
  });

  it('names a callback that ran past --block and delayed a timer, with its request', () => {
    const report = build(120, true);
    expect(kinds(report)).toEqual(['blocked-loop']);
    expect(report.findings[0]).toMatchObject({ request: 1, evidence: { blockedMs: 120 } });
    expect(report.findings[0].message).toMatch(/1 timer came due meanwhile \(setInterval 20ms\)$/);
  });

  it('leaves short callbacks, long ones that delayed nothing, and one long silence (a paused process) alone', () => {
    expect(kinds(build(30, true))).toEqual([]);
    expect(kinds(build(120, false))).toEqual([]);
    expect(kinds(build(120, true, true))).toEqual([]);
  });
});
