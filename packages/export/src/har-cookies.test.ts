import { describe, expect, it } from 'vitest';
import { headerValues, requestCookies, responseCookies } from './har-cookies.js';

describe('requestCookies', () => {
  it('lists each name=value pair of the cookie header, placeholders as they are', () => {
    expect(requestCookies({ Cookie: 'sid=<redacted:cookie:1>; lang=en' })).toEqual([
      { name: 'sid', value: '<redacted:cookie:1>' },
      { name: 'lang', value: 'en' },
    ]);
  });

  it('lists none without a cookie header', () => {
    expect(requestCookies({ accept: '*/*' })).toEqual([]);
  });
});

describe('responseCookies', () => {
  it('makes one cookie per set-cookie header, with the attributes HAR has fields for', () => {
    const cookies = responseCookies({ 'set-cookie': ['session=abc; Path=/; HttpOnly; Secure; Domain=example.test', 'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; SameSite=Lax'] });
    expect(cookies).toEqual([
      { name: 'session', value: 'abc', path: '/', httpOnly: true, secure: true, domain: 'example.test' },
      { name: 'theme', value: 'dark', expires: '2037-10-21T07:28:00.000Z' },
    ]);
  });

  it('leaves out an expiry that is not a date', () => {
    expect(responseCookies({ 'set-cookie': 'a=1; Expires=soon' })).toEqual([{ name: 'a', value: '1' }]);
  });
});

describe('headerValues', () => {
  it('finds a header whatever the case of its name, each value of a repeated one', () => {
    expect(headerValues({ 'Content-Type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }, 'content-type')).toEqual(['text/plain']);
    expect(headerValues({ 'set-cookie': ['a=1', 'b=2'] }, 'set-cookie')).toEqual(['a=1', 'b=2']);
  });
});
