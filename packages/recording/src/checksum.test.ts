import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GroupCrc, type GroupRow } from './checksum.js';

/**
 * Format 3's checksum of a write group, as docs/recording-format.md defines it, computed the plain
 * way: CRC-32 of the rows' numbers as float64s, continued over every `data` joined, as UTF-8.
 */
function definition(rows: GroupRow[]): number {
  const numbers = new Float64Array(rows.length * 7);
  rows.forEach((r, i) => numbers.set([r.seq, r.t + 0, zlib.crc32(r.kind) | 0, r.task, r.scope ?? NaN, r.process, r.data.length], i * 7));
  const head = zlib.crc32(new Uint8Array(numbers.buffer));
  return zlib.crc32(rows.map((r) => r.data).join(''), head) | 0;
}

function row(seq: number, data: string, scope: number | null = 1): GroupRow {
  return { seq, t: seq / 3, kind: seq % 2 ? 'nondet' : 'console', task: seq * 7, scope, process: 0, data };
}

describe('a write group checksum', () => {
  it('is the format\'s definition, for short, non-ASCII and long texts, across buffer growth', () => {
    const rows = [
      row(1, '{"source":"Date.now","value":1796322187160}'),
      row(2, '{"text":"naïve – ünïcode ✓ 𝄞\\n"}', null),
      row(3, `{"text":"${'x'.repeat(200_000)}"}`),
      ...Array.from({ length: 3000 }, (_, i) => row(4 + i, `{"i":${i},"s":"é${'a'.repeat(i % 300)}"}`)),
      row(3004, `{"text":"${'€'.repeat(70_000)}"}`),
    ];
    const sum = new GroupCrc();
    for (const r of rows) sum.add(r, r.data);
    expect(sum.rows).toBe(rows.length);
    expect(sum.digest()).toBe(definition(rows));
  });

  it('starts again from nothing after reset, and adds a row by its columns the same as by the row', () => {
    const first = [row(1, '{"a":1}'), row(2, `{"b":"${'y'.repeat(5000)}"}`)];
    const second = [row(10, '{"c":"ü"}', null), row(11, '{"d":4}')];
    const sum = new GroupCrc();
    for (const r of first) sum.add(r, r.data);
    expect(sum.digest()).toBe(definition(first));
    sum.reset();
    for (const r of second) sum.addRow(r.seq, r.t, r.kind, r.task, r.scope, r.process, r.data);
    expect(sum.rows).toBe(2);
    expect(sum.digest()).toBe(definition(second));
    expect(sum.digest()).not.toBe(definition([...first, ...second]));
  });

  it('changes when one number or one byte of the text changes', () => {
    const rows = [row(1, '{"a":1}'), row(2, '{"b":2}')];
    const of = (rs: GroupRow[]) => {
      const sum = new GroupCrc();
      for (const r of rs) sum.add(r, r.data);
      return sum.digest();
    };
    const base = of(rows);
    expect(of([rows[0], { ...rows[1], task: rows[1].task + 1 }])).not.toBe(base);
    expect(of([rows[0], { ...rows[1], scope: null }])).not.toBe(base);
    expect(of([rows[0], { ...rows[1], data: '{"b":3}' }])).not.toBe(base);
  });
});
