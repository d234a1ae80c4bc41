import { describe, expect, it } from 'vitest';
import { bodyLines, headerLines } from './body.js';
import { field, wrapLines } from './lines.js';

describe('bodyLines', () => {
  it('pretty-prints a JSON body', () => {
    expect(bodyLines('{"ok":true,"items":[1]}', undefined, { 'content-type': 'application/json' }).map((l) => l.text)).toEqual([
      '  {', '    "ok": true,', '    "items": [', '      1', '    ]', '  }',
    ]);
  });

  it('keeps a text body as it is, line by line', () => {
    expect(bodyLines('a\nb', undefined, { 'content-type': 'text/plain' }).map((l) => l.text)).toEqual(['  a', '  b']);
  });

  it('keeps a body that only looks like JSON as text', () => {
    expect(bodyLines('{not json', undefined, {}).map((l) => l.text)).toEqual(['  {not json']);
  });

  it('shows a binary body as its size and base64', () => {
    const lines = bodyLines(Buffer.from([1, 2, 3, 255]).toString('base64'), 'base64', { 'content-encoding': 'gzip' });
    expect(lines[0].text).toBe('  (4 bytes, gzip, shown as base64)');
    expect(lines[1].text).toBe('  AQID/w==');
  });

  it('says when a body is empty', () => {
    expect(bodyLines('', undefined, {})[0].text).toBe('  (empty body)');
  });
});

describe('headerLines', () => {
  it('lists headers sorted, one line per value', () => {
    expect(headerLines({ b: '2', a: ['x', 'y'] }).map((l) => l.text)).toEqual(['  a: x', '  a: y', '  b: 2']);
  });
});

describe('wrapLines', () => {
  it('wraps at a space and continues under the value of a field', () => {
    const lines = wrapLines([field('path', '#2 POST /checkout → PROMISE 5 → Timeout 7')], 33);
    expect(lines.map((l) => l.text)).toEqual(['path:     #2 POST /checkout →', '          PROMISE 5 → Timeout 7']);
  });

  it('cuts a long word that has no space to break at', () => {
    expect(wrapLines([{ text: 'x'.repeat(20) }], 8).map((l) => l.text)).toEqual(['xxxxxxxx', '  xxxxxx', '  xxxxxx']);
  });

  it('leaves short lines alone', () => {
    const line = { text: 'short', style: 'dim' as const };
    expect(wrapLines([line], 40)).toEqual([line]);
  });
});
