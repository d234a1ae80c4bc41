import { describe, expect, it } from 'vitest';
import { IdRows } from './columns.js';

describe('IdRows', () => {
  it('finds rows by id, growing past its first size', () => {
    const rows = new IdRows();
    rows.set(3, 0);
    rows.set(200_000, 1);
    expect([rows.get(3), rows.get(200_000), rows.get(4), rows.get(10_000_000)]).toEqual([0, 1, -1, -1]);
  });

  it('keeps ids too large for the array in a map', () => {
    const rows = new IdRows();
    rows.set(2 ** 30, 7);
    expect(rows.get(2 ** 30)).toBe(7);
  });
});
