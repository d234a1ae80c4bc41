import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

describe('unanswered-request', () => {
  it('is an error for a request still open at the end, naming what its work waited on', () => {
    const report = analyzeBuilt((b) => {
      b.inbound('GET', '/hang', () => b.outbound('GET', 'http://stock.test/item', 'app.mjs:14:7'));
      b.wait(300).exit(0);
    });
    const f = report.findings.find((x) => x.kind === 'unanswered-request')!;
    expect(f).toMatchObject({ severity: 'error', request: 1, task: null, location: 'app.mjs:14:7' });
    expect(f.message).toBe('#1 GET /hang was never answered: still open 300 ms later, at the end of the recording; waiting on GET http://stock.test/item');
  });

  it('is a warning when the client gave up first', () => {
    const report = analyzeBuilt((b) => {
      const req = b.inbound('GET', '/hang');
      b.wait(200).abort(req).exit(0);
    });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].severity).toBe('warning');
    expect(report.findings[0].message).toBe('#1 GET /hang was never answered: its client went away after 200 ms; nothing of its work was pending');
  });
});

describe('slow-request', () => {
  it('says where a slow request spent its time, as info, above the threshold only', () => {
    const build = (b: Parameters<Parameters<typeof analyzeBuilt>[0]>[0]) => {
      let up = 0;
      let step = 0;
      let timer = { timer: 0, resource: 0 };
      const req = b.inbound('GET', '/report', () => {
        up = b.outbound('GET', 'http://numbers.test/n');
        step = b.then(b.promise()); // await fetch(...)
      });
      b.wait(120).answer(up, 200, req);
      b.run(step, () => (timer = b.setTimeout(60)));
      b.wait(60).fire(timer);
      b.wait(20).respond(req).exit(0);
    };
    const report = analyzeBuilt(build, { slowMs: 100 });
    expect(report.findings.map((f) => [f.kind, f.severity])).toEqual([['slow-request', 'info']]);
    expect(report.findings[0].message).toBe('#1 GET /report took 200 ms: 120 ms waiting on GET http://numbers.test/n, 60 ms in setTimeout 60ms, 20 ms elsewhere');
    expect(analyzeBuilt(build, { slowMs: 500 }).findings).toEqual([]);
  });
});
