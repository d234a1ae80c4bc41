import { describe, expect, it } from 'vitest';
import { stream } from '../test/support/events.js';
import { tapeDraw } from './tape.js';

const nondet = (...draws: Array<[string, number | string | number[] | null]>) => {
  const s = stream();
  for (const [source, value] of draws) s.add('nondet', { source, value });
  return s.events.filter((e) => e.kind === 'nondet');
};

describe('tapeDraw', () => {
  it('hands back each source its recorded values, in recorded order', () => {
    const draw = tapeDraw(nondet(['Math.random', 0.25], ['Date.now', 1000], ['Math.random', 0.75]), true);
    const real = () => -1;
    expect([draw('Math.random', real), draw('Date.now', real), draw('Math.random', real)]).toEqual([0.25, 1000, 0.75]);
  });

  it('draws for real once a source has used up its tape, or never had one', () => {
    const draw = tapeDraw(nondet(['Math.random', 0.25]), true);
    expect(draw('Math.random', () => 9)).toBe(0.25);
    expect(draw('Math.random', () => 9)).toBe(9);
    expect(draw('crypto.randomUUID', () => 'real-uuid')).toBe('real-uuid');
  });

  it('under another schedule reads time from the (virtual) clock, still tapes randomness', () => {
    const draw = tapeDraw(nondet(['Date.now', 1000], ['performance.now', 5], ['Math.random', 0.5]), false, () => 2000);
    expect(draw('Date.now', () => 1_800_000_000_000)).toBe(2000);
    expect(draw('performance.now', () => 7)).toBe(7);
    expect(draw('Math.random', () => 0.9)).toBe(0.5);
  });

  it('decodes stored forms: bigint hrtime and random bytes', () => {
    const draw = tapeDraw(nondet(['process.hrtime.bigint', '12345678901234567890'], ['crypto.randomBytes', Buffer.from([1, 2, 3]).toString('base64')]), true);
    expect(draw('process.hrtime.bigint', () => 0n)).toBe(12345678901234567890n);
    expect([...(draw('crypto.randomBytes', () => new Uint8Array()) as Uint8Array)]).toEqual([1, 2, 3]);
  });
});
