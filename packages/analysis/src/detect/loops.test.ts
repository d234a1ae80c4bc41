import { describe, expect, it } from 'vitest';
import { type RecordingBuilder, type BuiltTimer } from '@looptape/test-support';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

/** A timeout that re-arms itself from its own callback `times` times; returns the last (armed) one. */
function chain(b: RecordingBuilder, first: BuiltTimer, times: number, every: number): BuiltTimer {
  let timer = first;
  for (let i = 0; i < times; i++) {
    let next = timer;
    b.wait(every).fire(timer, () => (next = b.setTimeout(every, 'app.mjs:6:3')));
    timer = next;
  }
  return timer;
}

describe('rogue-loop', () => {
  it('names a re-arming timer chain that keeps firing after its request ended', () => {
    let first = { timer: 0, resource: 0 };
    const report = analyzeBuilt((b) => {
      const req = b.inbound('GET', '/watch', () => (first = b.setTimeout(10, 'app.mjs:6:3')));
      b.respond(req);
      chain(b, first, 8, 10);
      b.exit(0);
    });
    expect(report.findings.map((f) => f.kind)).toEqual(['rogue-loop']);
    expect(report.findings[0]).toMatchObject({ request: 1, location: 'app.mjs:6:3' });
    expect(report.findings[0].message).toBe('setTimeout 10ms chain kept firing after #1 GET /watch was answered: 8 times, every 10 ms, still armed at the end');
    expect(report.findings[0].evidence).toMatchObject({ fires: 8, periodMs: 10, timers: 9 });
  });

  it('leaves a chain that stopped by itself alone', () => {
    const report = analyzeBuilt((b) => {
      let first = { timer: 0, resource: 0 };
      const req = b.inbound('GET', '/watch', () => (first = b.setTimeout(10)));
      b.respond(req);
      const last = chain(b, first, 7, 10);
      b.wait(10).fire(last);
      b.exit(0);
    });
    expect(report.findings.map((f) => f.kind)).not.toContain('rogue-loop');
  });

  it('names an interval in a script that fires with no outside event, but not fewer times than the threshold', () => {
    const build = (fires: number) => (b: RecordingBuilder) => {
      const poll = b.setInterval(5, 'poll.mjs:3:1');
      for (let i = 0; i < fires; i++) b.wait(5).fire(poll);
      b.exit(0);
    };
    expect(analyzeBuilt(build(6)).findings.map((f) => f.kind)).toEqual(['rogue-loop']);
    expect(analyzeBuilt(build(4)).findings.map((f) => f.kind)).toEqual([]);
  });

  it('takes a loop still armed when the program ended by itself as unref\'d background work', () => {
    const build = (held: string[]) => (b: RecordingBuilder) => {
      const refresh = b.setInterval(5, 'cache.mjs:3:1');
      for (let i = 0; i < 10; i++) b.wait(5).fire(refresh);
      b.exit(0, held);
    };
    expect(analyzeBuilt(build([])).findings).toEqual([]);
    expect(analyzeBuilt(build(['Timeout'])).findings.map((f) => f.kind)).toEqual(['rogue-loop']);
  });

  it('names one loop started by several requests once, with the requests that started it', () => {
    const report = analyzeBuilt((b) => {
      const loops: BuiltTimer[] = [];
      for (const path of ['/a', '/b', '/c']) {
        const req = b.inbound('GET', path, () => loops.push(b.setInterval(10, 'app.mjs:6:3')));
        b.respond(req);
      }
      for (let i = 0; i < 6; i++) for (const loop of loops) b.wait(3).fire(loop);
      b.exit(0, ['Timeout']);
    });
    expect(report.findings.map((f) => f.kind)).toEqual(['rogue-loop']);
    expect(report.findings[0].message).toMatch(/; started by #1, #2, #3$/);
    expect(report.findings[0].evidence.startedBy).toEqual([1, 2, 3]);
  });

  it("takes a server's own periodic job as meant", () => {
    const report = analyzeBuilt((b) => {
      b.listen();
      const job = b.setInterval(5);
      for (let i = 0; i < 10; i++) b.wait(5).fire(job);
      b.signal('SIGTERM');
    });
    expect(report.findings).toEqual([]);
  });
});
