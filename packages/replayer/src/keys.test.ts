import { describe, expect, it } from 'vitest';
import { digest, inboundKey, Occurrences, outboundKey, timerKey, withoutBoundary } from './keys.js';

describe('keys', () => {
  it('names an outbound exchange by method and URL, and a body by its digest', () => {
    expect(outboundKey('GET', 'http://up/a?x=1', '')).toBe('GET http://up/a?x=1');
    expect(outboundKey('POST', 'http://up/a', '{"seat":"12A"}')).toBe(`POST http://up/a body:${digest('{"seat":"12A"}')}`);
    expect(outboundKey('POST', 'http://up/a', '{"seat":"12A"}')).not.toBe(outboundKey('POST', 'http://up/a', '{"seat":"12B"}'));
  });

  it('names a multipart body by its parts, whatever its boundary, in text or base64', () => {
    const form = (b: string, name: string) => `--${b}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n--${b}--\r\n`;
    expect(outboundKey('POST', 'http://up/f', form('----formdata-undici-044538122723', 'widget')))
      .toBe(outboundKey('POST', 'http://up/f', form('----formdata-undici-039581026573', 'widget')));
    expect(outboundKey('POST', 'http://up/f', form('x1', 'widget'))).not.toBe(outboundKey('POST', 'http://up/f', form('x1', 'gadget')));
    const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
    expect(outboundKey('POST', 'http://up/f', b64(form('a', '\xff')), 'base64')).toBe(outboundKey('POST', 'http://up/f', b64(form('b', '\xff')), 'base64'));
    // Not multipart (no closing boundary): left as it is.
    expect(withoutBoundary('--x\r\nhello')).toBe('--x\r\nhello');
    expect(withoutBoundary('{"a":1}')).toBe('{"a":1}');
  });

  it('names an inbound request by method and URL, whatever its body', () => {
    expect(inboundKey({ method: 'POST', url: '/book' })).toBe('POST /book');
  });

  it('names a timer by API and delay, not by where it was set', () => {
    expect(timerKey({ api: 'setTimeout', delay: 150 })).toBe('setTimeout(150)');
    expect(timerKey({ api: 'setInterval', delay: 10 })).not.toBe(timerKey({ api: 'setTimeout', delay: 10 }));
  });

  it('digests are short, stable and differ for different text', () => {
    expect(digest('a')).toMatch(/^[0-9a-f]{8}$/);
    expect(digest('a')).toBe(digest('a'));
    expect(digest('a')).not.toBe(digest('b'));
  });

  it('counts occurrences per key, from 1', () => {
    const o = new Occurrences();
    expect([o.next('a'), o.next('b'), o.next('a'), o.next('a'), o.next('b')]).toEqual([1, 1, 2, 3, 2]);
  });
});
