import { describe, expect, it } from 'vitest';
import { digest, inboundKey, Occurrences, outboundKey, timerKey } from './keys.js';

describe('keys', () => {
  it('names an outbound exchange by method and URL, and a body by its digest', () => {
    expect(outboundKey('GET', 'http://up/a?x=1', '')).toBe('GET http://up/a?x=1');
    expect(outboundKey('POST', 'http://up/a', '{"seat":"12A"}')).toBe(`POST http://up/a body:${digest('{"seat":"12A"}')}`);
    expect(outboundKey('POST', 'http://up/a', '{"seat":"12A"}')).not.toBe(outboundKey('POST', 'http://up/a', '{"seat":"12B"}'));
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
