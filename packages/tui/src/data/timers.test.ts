import type { EventFilter, LoopEvent } from '@looptape/recording';
import { describe, expect, it } from 'vitest';
import { checkout } from '../../test/setup.js';
import { TimerIndex } from './timers.js';

describe('TimerIndex', () => {
  it('reads the timer events on first use, once', () => {
    const { reader } = checkout();
    const asked: EventFilter[] = [];
    const timers = TimerIndex.load({ events: (f: EventFilter = {}): Iterable<LoopEvent> => (asked.push(f), reader.events(f)) });
    expect(asked).toHaveLength(0);
    expect(timers.set(7)).toMatchObject({ api: 'setTimeout', delay: 200, site: '/app/server.mjs:12:5' });
    expect(timers.cleared(7)).toBeUndefined();
    expect(asked).toEqual([{ kinds: ['timer.set', 'timer.clear'] }]);
  });
});
