import { describe, expect, it } from 'vitest';
import { RecordingBuilder } from '@looptape/test-support';
import { open, tempDir } from '../../test/tape.js';
import { EventPages, lowerBound } from './event-pages.js';

/** 50 events: seq 1..50, alternating row events and hooks. */
function fifty() {
  const b = new RecordingBuilder(`${tempDir()}/fifty.tape`);
  for (let i = 0; i < 25; i++) b.at(i).event({ kind: 'console', stream: 'stdout', text: `line ${i}` }).task(100 + i, 'Timeout');
  const reader = open(b.close());
  return { reader, pages: new EventPages(reader, reader.lastSeq(), 8) };
}

describe('EventPages', () => {
  it('reads nothing until an event is asked for', () => {
    const { reader, pages } = fifty();
    expect(pages.loads).toBe(0);
    reader.close();
  });

  it('finds an event by seq, the hook stream and row events merged', () => {
    const { reader, pages } = fifty();
    expect(pages.at(1)).toMatchObject({ kind: 'console', text: 'line 0' });
    expect(pages.at(2)).toMatchObject({ kind: 'task.init', task: 100, type: 'Timeout' });
    expect(pages.at(51)).toBeUndefined();
    reader.close();
  });

  it('steps across page boundaries in both directions', () => {
    const { reader, pages } = fifty();
    expect(pages.next(7)?.seq).toBe(8);
    expect(pages.next(8)?.seq).toBe(9);
    expect(pages.prev(9)?.seq).toBe(8);
    expect(pages.prev(1)).toBeUndefined();
    expect(pages.next(50)).toBeUndefined();
    reader.close();
  });

  it('gives windows before and after a seq in recorded order', () => {
    const { reader, pages } = fifty();
    expect(pages.after(5, 12).map((e) => e.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(pages.before(20, 12).map((e) => e.seq)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(pages.before(3, 10).map((e) => e.seq)).toEqual([1, 2]);
    reader.close();
  });

  it('reads a page once while it stays cached', () => {
    const { reader, pages } = fifty();
    for (let seq = 8; seq < 16; seq++) pages.at(seq);
    expect(pages.loads).toBe(1);
    reader.close();
  });

  it('leaves the reader closable (every query read to its end)', () => {
    const { reader, pages } = fifty();
    pages.next(3);
    pages.before(40, 2);
    expect(() => reader.close()).not.toThrow();
  });
});

describe('lowerBound', () => {
  it('finds the first seq not below the one asked for', () => {
    const events = [{ seq: 2 }, { seq: 4 }, { seq: 9 }];
    expect([1, 2, 3, 9, 10].map((s) => lowerBound(events, s))).toEqual([0, 0, 1, 2, 3]);
  });
});
