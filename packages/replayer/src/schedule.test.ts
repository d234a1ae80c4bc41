import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stream } from '../test/support/events.js';
import { ReplayError } from './errors.js';
import { deliveryId, loadSchedule, recordedSchedule } from './schedule.js';

describe('recordedSchedule', () => {
  it('lists inbound requests, outbound answers and timer firings in recorded order', () => {
    const s = stream()
      .at(5).in(1, 'GET', '/quote')
      .at(6).out(2, 'GET', 'http://up/price').out(3, 'GET', 'http://up/stock')
      .at(7).setTimeout(1, 100)
      .at(20).response(3, 'out')
      .at(60).response(2, 'out')
      .at(61).response(1, 'in')
      .at(107).fire(1);
    const { deliveries } = recordedSchedule(s.events);
    expect(deliveries).toEqual([
      { kind: 'request', key: 'GET /quote', occurrence: 1, t: 5 },
      { kind: 'response', key: 'GET http://up/stock', occurrence: 1, t: 20 },
      { kind: 'response', key: 'GET http://up/price', occurrence: 1, t: 60 },
      { kind: 'timer', key: 'setTimeout(100)', occurrence: 1, t: 107, timer: 1 },
    ]);
  });

  it('numbers occurrences per key, and says which timer of a key fired', () => {
    const s = stream()
      .out(1, 'GET', 'http://up/a').out(2, 'GET', 'http://up/a')
      .setTimeout(1, 10).setTimeout(2, 10)
      .at(10).fire(2).fire(1)
      .at(12).response(2, 'out').response(1, 'out');
    const { deliveries } = recordedSchedule(s.events);
    expect(deliveries.map((d) => [d.kind, d.occurrence, d.timer])).toEqual([
      ['timer', 1, 2], ['timer', 2, 1], ['response', 2, undefined], ['response', 1, undefined],
    ]);
  });

  it('leaves out timers set by Node internals and immediates', () => {
    const s = stream()
      .setTimeout(1, 300, { internal: true })
      .add('timer.set', { timer: 2, api: 'setImmediate', delay: 0, repeat: false })
      .setTimeout(3, 5)
      .at(1).fire(2).at(5).fire(3).at(300).fire(1);
    expect(recordedSchedule(s.events).deliveries.map(deliveryId)).toEqual(['timer setTimeout(5) #1']);
  });

  it('gives each firing of an interval its own occurrence', () => {
    const s = stream().setInterval(1, 10).at(10).fire(1).at(20).fire(1).at(30).fire(1);
    expect(recordedSchedule(s.events).deliveries.map((d) => d.occurrence)).toEqual([1, 2, 3]);
  });

  it('keeps an outbound error, an aborted inbound request and a signal as deliveries', () => {
    const s = stream()
      .in(1, 'GET', '/slow').out(2, 'GET', 'http://up/x')
      .at(3).add('http.error', { exchange: 2, direction: 'out', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' })
      .at(4).add('http.abort', { exchange: 1, direction: 'in' })
      .at(5).add('process.signal', { signal: 'SIGTERM' });
    expect(recordedSchedule(s.events).deliveries.map(deliveryId)).toEqual([
      'request GET /slow #1', 'error GET http://up/x #1', 'abort GET /slow #1', 'signal SIGTERM #1',
    ]);
  });

  it('keys an outbound request by method, URL and body', () => {
    const s = stream().out(1, 'POST', 'http://up/a', '{"n":1}').out(2, 'POST', 'http://up/a', '{"n":2}').at(1).response(2, 'out').response(1, 'out');
    const [a, b] = recordedSchedule(s.events).deliveries;
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^POST http:\/\/up\/a body:[0-9a-f]{8}$/);
    expect([a.occurrence, b.occurrence]).toEqual([1, 1]);
  });

  it('derives latencies per outbound exchange and arrivals per inbound request', () => {
    const s = stream().at(2).in(1, 'GET', '/q').at(3).out(2, 'GET', 'http://up/p').at(63.5).response(2, 'out').at(70).in(3, 'GET', '/q');
    const r = recordedSchedule(s.events);
    expect(r.latencies).toEqual([{ key: 'GET http://up/p', occurrence: 1, sentT: 3, answeredT: 63.5, latencyMs: 60.5 }]);
    expect(r.arrivals).toEqual([{ key: 'GET /q', occurrence: 1, t: 2 }, { key: 'GET /q', occurrence: 2, t: 70 }]);
  });

  it('groups timers due at the same instant, in the order they fired', () => {
    const s = stream().setTimeout(1, 30).setTimeout(2, 30).at(10).setTimeout(3, 20).setTimeout(4, 5).at(15).fire(4).at(30).fire(2).fire(3).fire(1);
    expect(recordedSchedule(s.events).sameInstant).toEqual([{ dueT: 30, order: ['setTimeout(30)#2', 'setTimeout(20)#1', 'setTimeout(30)#1'] }]);
  });

  it('groups timers already due when the first of them fired, however far apart their calls read the clock', () => {
    const s = stream().at(12.45).setTimeout(1, 30).at(12.55).setTimeout(2, 30).at(43).fire(1).fire(2);
    expect(recordedSchedule(s.events).sameInstant).toEqual([{ dueT: 42.45, order: ['setTimeout(30)#1', 'setTimeout(30)#2'] }]);
  });

  it('does not group a timer that was not yet due when the one before it fired', () => {
    const s = stream().at(10).setTimeout(1, 30).at(15).setTimeout(2, 30).at(40.2).fire(1).at(45.1).fire(2);
    expect(recordedSchedule(s.events).sameInstant).toEqual([]);
  });

  it('does not group timers with an immediate fired between them (another turn of the loop)', () => {
    const s = stream().setTimeout(1, 30).setTimeout(2, 30).add('timer.set', { timer: 3, api: 'setImmediate', delay: 0, repeat: false }).at(31).fire(1).fire(3).fire(2);
    expect(recordedSchedule(s.events).sameInstant).toEqual([]);
  });

  it('does not group timers with another delivery between them', () => {
    const s = stream().out(1, 'GET', 'http://up/a').setTimeout(1, 30).setTimeout(2, 30).at(31).fire(1).response(1, 'out').fire(2);
    expect(recordedSchedule(s.events).sameInstant).toEqual([]);
  });

  it('puts body parts of a response after its head, numbered', () => {
    const s = stream().out(1, 'GET', 'http://up/stream').at(5).response(1, 'out')
      .at(6).add('http.body', { exchange: 1, direction: 'out', chunk: 'a' })
      .at(9).add('http.body', { exchange: 1, direction: 'out', chunk: 'b' });
    expect(recordedSchedule(s.events).deliveries.map(deliveryId)).toEqual([
      'response GET http://up/stream #1', 'body GET http://up/stream #1 chunk 1', 'body GET http://up/stream #1 chunk 2',
    ]);
  });

  it('is plain data: JSON round-trips it', () => {
    const r = recordedSchedule(stream().in(1, 'GET', '/').setTimeout(1, 1).at(1).fire(1).events);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('loadSchedule', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-tests-schedule-unit-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const refusal = (p: string): ReplayError => {
    try {
      loadSchedule(p);
    } catch (error) {
      return error as ReplayError;
    }
    throw new Error(`${p} was accepted`);
  };

  it('reads what --print-schedule prints, extra views and all', () => {
    const printed = recordedSchedule(stream().in(1, 'GET', '/').events);
    expect(loadSchedule(file('ok.json', JSON.stringify(printed)))).toEqual({ version: 1, deliveries: printed.deliveries });
  });

  it('refuses a missing file, saying so', () => {
    const e = refusal(path.join(dir, 'missing.json'));
    expect(e).toBeInstanceOf(ReplayError);
    expect(e.code).toBe('BAD_SCHEDULE');
    expect(e.message).toMatch(/missing\.json: no such file$/);
  });

  it('refuses a file without a deliveries list, with a hint', () => {
    const e = refusal(file('empty.json', '{}'));
    expect(e.message).toMatch(/has no "deliveries" list/);
    expect(e.hint).toMatch(/--print-schedule/);
  });

  it('refuses a delivery without kind, key or occurrence, naming which', () => {
    const p = file('bad.json', JSON.stringify({ version: 1, deliveries: [{ kind: 'timer', key: 'setTimeout(1)', occurrence: 1 }, { kind: 'timer', key: 'x' }] }));
    expect(refusal(p).message).toMatch(/delivery 2 needs occurrence/);
  });

  it('refuses text that is not JSON with a message of one line', () => {
    for (const text of ['todo\n', 'first /price\nthen /stock\n', '{\n  "deliveries": [\n']) {
      const e = refusal(file('text.json', text));
      expect(e.code).toBe('BAD_SCHEDULE');
      expect(e.message, JSON.stringify(text)).not.toMatch(/\n/);
    }
  });
});
