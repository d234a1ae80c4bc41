import { describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { stream } from '../test/support/events.js';
import { Comparator } from './comparator.js';

/** A small recorded program: one request, a fetch, a timer, a draw, output, the answer, exit. */
function program(edit: { delay?: number; extraDraw?: boolean; body?: string } = {}): LoopEvent[] {
  const s = stream().in(1, 'GET', '/quote').out(2, 'GET', 'http://up/price').setTimeout(1, edit.delay ?? 150, { site: 'app.mjs:21:3', scope: 1 });
  if (edit.extraDraw) s.add('nondet', { source: 'Math.random', value: 0.3, site: 'edited.mjs:8:5', scope: 1 });
  return s.response(2, 'out', 200, '{"price":12}').add('console', { stream: 'stdout', text: 'quote 60\n' }).response(1, 'in', 200, edit.body ?? '{"total":60}').add('process.exit', { code: 0 }).events;
}

const observeAll = (c: Comparator, events: LoopEvent[]) => events.map((e) => c.observe(e)).find(Boolean);

describe('Comparator', () => {
  it('finds nothing when the replay does what the recording did', () => {
    const c = new Comparator(program(), true);
    expect(observeAll(c, program())).toBeUndefined();
    expect(c.finish()).toBeUndefined();
  });

  it('stops at the first event that differs: a timer with another delay, with its task path and site', () => {
    const c = new Comparator(program(), true);
    const d = observeAll(c, program({ delay: 200 }).map((e) => (e.kind === 'timer.set' ? { ...e, site: 'edited.mjs:21:3' } : e)))!;
    expect(d).toMatchObject({
      code: 'DIVERGENCE',
      expected: { kind: 'timer.set', what: 'setTimeout(…, 150)', site: 'app.mjs:21:3' },
      actual: { kind: 'timer.set', what: 'setTimeout(…, 200)', site: 'edited.mjs:21:3' },
      taskPath: '#1 GET /quote → setTimeout(…, 200)',
      location: 'edited.mjs:21:3',
    });
    // Only the first: later differences are not reported again.
    expect(c.observe(program({ body: 'other' }).at(-2)!)).toBeUndefined();
  });

  it('names an extra draw of randomness', () => {
    const d = observeAll(new Comparator(program(), true), program({ extraDraw: true }))!;
    expect(d.actual).toMatchObject({ kind: 'nondet', what: 'Math.random()' });
    expect(d.expected).toMatchObject({ kind: 'console', what: 'stdout: quote 60' }); // outbound answers are deliveries, not compared
    expect(d.location).toBe('edited.mjs:8:5');
  });

  it('names a different answer to an inbound request', () => {
    const d = observeAll(new Comparator(program(), true), program({ body: '{"total":36}' }))!;
    expect(d.actual).toMatchObject({ kind: 'http.response', what: 'response 200 {"total":36}' });
    expect(d.expected).toMatchObject({ what: 'response 200 {"total":60}' });
  });

  it('at the end, names what the recording still expected', () => {
    const c = new Comparator(program(), true);
    const events = program();
    observeAll(c, events.slice(0, -1));
    expect(c.finish()).toMatchObject({ code: 'MISSING_EVENTS', message: expect.stringMatching(/^the program ended without 1 recorded event\(s\), first: exit code 0$/) });
  });

  it('under another schedule compares nothing, but still hashes the stream', () => {
    const c = new Comparator(program(), false);
    expect(observeAll(c, program({ body: 'x' }))).toBeUndefined();
    expect(c.finish()).toBeUndefined();
    expect(c.streamHash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes equal streams equally and different streams differently, ignoring ids', () => {
    const hash = (events: LoopEvent[]) => {
      const c = new Comparator(program(), false);
      observeAll(c, events);
      return c.streamHash();
    };
    const renumbered = program().map((e) => (e.kind === 'timer.set' ? { ...e, timer: 99, task: 1234 } : { ...e, task: 77 }));
    expect(hash(program())).toBe(hash(renumbered));
    expect(hash(program())).not.toBe(hash(program({ body: '{"total":36}' })));
    expect(hash(program())).not.toBe(hash(program({ delay: 200 })));
  });
});
