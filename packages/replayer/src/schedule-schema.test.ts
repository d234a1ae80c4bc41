import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScheduleAgainst } from './schedule-check.js';
import { loadSchedule, type Schedule } from './schedule.js';

const GOOD = { kind: 'response', key: 'GET http://x/a', occurrence: 1, t: 5 };
const RECORDED: Schedule = { version: 1, deliveries: [{ ...GOOD }, { kind: 'timer', key: 'setTimeout(50)', occurrence: 1, t: 60, timer: 1 }] };

function load(data: unknown): () => Schedule {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-schedule-')), 's.json');
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return () => loadSchedule(file);
}

describe('schedule files are checked against docs/schedule.schema.json', () => {
  it('accepts what --print-schedule prints, views included', () => {
    expect(load({ ...RECORDED, latencies: [], arrivals: [], sameInstant: [] })().deliveries).toHaveLength(2);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"version": 1,', /not JSON/],
    ['no deliveries list', { version: 1 }, /has no "deliveries" list/],
    ['another version', { version: 2, deliveries: [] }, /version 2 is not one this looptape reads \(it reads version 1\)/],
    ['no version', { deliveries: [] }, /the schedule needs version/],
    ['an unknown kind', { version: 1, deliveries: [{ ...GOOD, kind: 'teleport' }] }, /delivery 1: kind must be one of timer, response/],
    ['an empty key', { version: 1, deliveries: [{ ...GOOD, key: '' }] }, /delivery 1: key must NOT have fewer than 1 characters/],
    ['no key', { version: 1, deliveries: [{ kind: 'timer', occurrence: 1 }] }, /delivery 1 needs key/],
    ['occurrence 0', { version: 1, deliveries: [GOOD, { ...GOOD, occurrence: 0 }] }, /delivery 2: occurrence must be >= 1/],
    ['a fractional occurrence', { version: 1, deliveries: [{ ...GOOD, occurrence: 1.5 }] }, /delivery 1: occurrence must be integer/],
    ['a negative t', { version: 1, deliveries: [{ ...GOOD, t: -1 }] }, /delivery 1: t must be >= 0/],
    ['a t that is not a number', { version: 1, deliveries: [{ ...GOOD, t: 'soon' }] }, /delivery 1: t must be number/],
    ['a fractional chunk', { version: 1, deliveries: [{ ...GOOD, kind: 'body', chunk: 0.5 }] }, /delivery 1: chunk must be integer/],
    ['an unknown field', { version: 1, deliveries: [{ ...GOOD, when: 3 }] }, /delivery 1 has a field the schema does not know: when/],
  ];
  for (const [rule, data, message] of bad) {
    it(`refuses a schedule with ${rule}`, () => {
      expect(load(data)).toThrow(message);
    });
  }
});

describe('a schedule against its recording', () => {
  it('refuses a key the recording does not have', () => {
    const given: Schedule = { version: 1, deliveries: [{ ...GOOD, key: 'GET http://x/b' }] };
    expect(() => checkScheduleAgainst(given, RECORDED, 's.json')).toThrow(/delivery 1 \(response GET http:\/\/x\/b #1\) is not in the recording/);
  });

  it('refuses an occurrence the recording does not have', () => {
    const given: Schedule = { version: 1, deliveries: [{ ...GOOD, occurrence: 2 }] };
    expect(() => checkScheduleAgainst(given, RECORDED, 's.json')).toThrow(/#2\) is not in the recording/);
  });

  it('refuses a delivery listed twice', () => {
    const given: Schedule = { version: 1, deliveries: [GOOD, GOOD] };
    expect(() => checkScheduleAgainst(given, RECORDED, 's.json')).toThrow(/delivery 2 .* is listed twice/);
  });

  it('names the recorded deliveries an empty schedule leaves undelivered', () => {
    expect(checkScheduleAgainst({ version: 1, deliveries: [] }, RECORDED, 's.json')).toEqual(['response GET http://x/a #1', 'timer setTimeout(50) #1']);
  });
});
