import { describe, expect, it } from 'vitest';
import { analyzeBuilt } from '../../test/support/analyze-built.js';

const kinds = (r: { findings: { kind: string }[] }) => r.findings.map((f) => f.kind);

describe('orphaned-task', () => {
  it('names a timer of a request that fires after the response, with its path, request and site', () => {
    let timer = { timer: 0, resource: 0 };
    const report = analyzeBuilt((b) => {
      const req = b.inbound('POST', '/checkout', () => (timer = b.setTimeout(200, 'app.mjs:12:3')));
      b.wait(5).respond(req);
      b.wait(195).fire(timer, () => b.outbound('POST', 'http://pay.test/charge'));
      b.wait(10).exit(0);
    });
    expect(kinds(report)).toEqual(['orphaned-task']);
    const [f] = report.findings;
    expect(f).toMatchObject({ task: timer.resource, request: 1, requestLabel: '#1 POST /checkout', location: 'app.mjs:12:3', taskPath: '#1 POST /checkout → setTimeout 200ms' });
    expect(f.message).toContain('fired 195 ms after #1 POST /checkout was answered');
    expect(f.message).toContain('POST http://pay.test/charge');
    expect(f.evidence.ranOnMs).toBe(195);
  });

  it('says when the work went on after the client went away', () => {
    const report = analyzeBuilt((b) => {
      let step = 0;
      const req = b.inbound('GET', '/slow', () => (step = b.then(b.promise())));
      b.wait(100).abort(req);
      b.wait(50).run(step, () => b.outbound('POST', 'http://audit.test/log', 'app.mjs:30:9'));
      b.exit(0);
    });
    expect(kinds(report)).toContain('orphaned-task');
    const f = report.findings.find((x) => x.kind === 'orphaned-task')!;
    expect(f.message).toBe('POST http://audit.test/log was called 50 ms after the client of #1 GET /slow went away');
    expect(f.taskPath).toBe('#1 GET /slow → PROMISE ×2 → POST http://audit.test/log');
    expect(f.location).toBe('app.mjs:30:9');
  });

  it('reports nothing for an immediate that winds the request down right after the response', () => {
    const report = analyzeBuilt((b) => {
      let immediate = { timer: 0, resource: 0 };
      const req = b.inbound('GET', '/boom', () => (immediate = b.setTimer('setImmediate', 0, 'node_modules/finalhandler/index.js:122:7')));
      b.respond(req);
      b.fire(immediate);
      b.wait(5).exit(0);
    });
    expect(report.findings).toEqual([]);
  });

  it('reports nothing for a timer cleared before the response', () => {
    const report = analyzeBuilt((b) => {
      const req = b.inbound('GET', '/x', () => b.clear(b.setTimeout(500)));
      b.wait(5).respond(req).exit(0);
    });
    expect(report.findings).toEqual([]);
  });

  it('reports nothing for background work done before shutdown when the same work still running then is awaited', () => {
    const report = analyzeBuilt((b) => {
      const jobs: Array<{ work: number; timer: { timer: number; resource: number } }> = [];
      for (const path of ['/job1', '/job2']) {
        const req = b.inbound('POST', path, () => {
          jobs.push({ work: b.promise(), timer: b.setTimeout(40, 'app.mjs:7:5') });
        });
        b.respond(req);
      }
      b.wait(40).fire(jobs[0].timer, () => b.resolve(jobs[0].work)); // done before shutdown: nobody awaits it
      b.then(jobs[1].work); // shutdown's Promise.all(running) awaits the job still running
      b.wait(5).fire(jobs[1].timer, () => b.resolve(jobs[1].work));
      b.exit(0);
    });
    expect(report.findings).toEqual([]);
  });

  it('still names work from a place whose work is never awaited later', () => {
    const report = analyzeBuilt((b) => {
      const jobs: Array<{ timer: number; resource: number }> = [];
      for (const path of ['/job1', '/job2']) {
        const req = b.inbound('POST', path, () => jobs.push(b.setTimeout(40, 'app.mjs:9:5')));
        b.respond(req);
      }
      for (const timer of jobs) b.wait(40).fire(timer);
      b.exit(0);
    });
    expect(kinds(report)).toEqual(['orphaned-task', 'orphaned-task']);
  });

  it('reports nothing for background work that shutdown code awaits later', () => {
    const report = analyzeBuilt((b) => {
      let work = 0;
      let timer = { timer: 0, resource: 0 };
      const req = b.inbound('POST', '/job', () => {
        work = b.promise();
        timer = b.setTimeout(40);
      });
      b.respond(req);
      b.wait(40).fire(timer, () => b.resolve(work));
      b.then(work); // Promise.all(running) at shutdown, after the request
      b.exit(0);
    });
    expect(report.findings).toEqual([]);
  });

  it('still reports work whose only observer is a terminal .catch() inside the request', () => {
    const report = analyzeBuilt((b) => {
      let timer = { timer: 0, resource: 0 };
      let work = 0;
      const req = b.inbound('GET', '/profile', () => {
        work = b.promise();
        b.then(work); // profile(...).catch(...)
        timer = b.setTimeout(150);
      });
      b.wait(10).respond(req);
      b.wait(140).fire(timer, () => b.resolve(work));
      b.exit(0);
    });
    expect(kinds(report)).toEqual(['orphaned-task']);
  });
});

describe('floating-promise in a request', () => {
  it('names an async call nobody awaited that settled after the response', () => {
    let call = 0;
    const report = analyzeBuilt((b) => {
      let timer = { timer: 0, resource: 0 };
      const req = b.inbound('POST', '/order', (x) => {
        b.promise(); // the handler's own promise: Node never awaits it, not a finding
        const step = b.then(b.promise());
        b.resolve(step);
        b.run(step, () => {
          call = b.promise();
          timer = b.setTimeout(50, 'app.mjs:24:9');
        });
        b.respond(x);
      });
      b.wait(50).fire(timer, () => b.resolve(call));
      b.exit(0);
      void req;
    });
    expect(kinds(report)).toEqual(['floating-promise']);
    expect(report.findings[0]).toMatchObject({ task: call, request: 1, location: 'app.mjs:24:9' });
    expect(report.findings[0].message).toContain('settled 50 ms after #1 POST /order was answered');
  });

  it('leaves the rejection of such a call to unhandled-rejection alone', () => {
    const report = analyzeBuilt((b) => {
      let call = 0;
      let timer = { timer: 0, resource: 0 };
      b.inbound('POST', '/order', (x) => {
        const step = b.then(b.promise());
        b.run(step, () => {
          call = b.promise();
          timer = b.setTimeout(50);
        });
        b.respond(x);
      });
      b.wait(50).fire(timer, () => b.resolve(call));
      b.unhandled(call, 'audit failed');
      b.exit(1);
    });
    expect(kinds(report)).toEqual(['unhandled-rejection']);
    expect(report.findings[0].evidence.floating).toBe(true);
  });
});
