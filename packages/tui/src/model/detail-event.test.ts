import { describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { eventFields } from './detail-event.js';

const text = (e: LoopEvent) => eventFields(e).map((l) => l.text).join('\n');
const base = { seq: 9, t: 1, task: 4, scope: 2, process: 0, connection: 1 };

describe('the fields of a raw connection event', () => {
  it('shows a chunk read as its protocol reads it, then as sent', () => {
    const out = text({ ...base, kind: 'net.data', chunk: '$14\r\n{"user":"ada"}\r\n' });
    expect(out).toContain('read:');
    expect(out).toContain('"{\\"user\\":\\"ada\\"}"');
    expect(out).toContain('request:  #2');
  });

  it('shows a command written as the command', () => {
    expect(text({ ...base, kind: 'net.write', chunk: '*2\r\n$3\r\nGET\r\n$11\r\nsession:abc\r\n' })).toMatch(/sent:\s+GET session:abc/);
  });
});
