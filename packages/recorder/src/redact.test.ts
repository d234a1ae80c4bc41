import type { LoopEvent } from '@looptape/recording';
import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

const response = (cookie: string, body: string) => ({ kind: 'http.response', headers: { 'set-cookie': `sid=${cookie}; Path=/` }, body }) as unknown as LoopEvent;
const output = (text: string) => ({ kind: 'console', stream: 'stdout', text }) as unknown as LoopEvent & { text: string };

describe('Redactor', () => {
  it('replaces each of hundreds of secrets wherever it appears, with the same placeholder each time', () => {
    const r = new Redactor();
    const placeholders = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const sid = `session-${i}-xyzzy`;
      const line = output(`user ${i} has ${sid}`);
      r.apply([response(sid, `welcome ${sid}`), line]);
      expect(line.text).not.toContain(sid);
      placeholders.set(sid, line.text.slice(line.text.indexOf('<')));
    }
    // Later text, after the pattern was rebuilt several times: the same placeholders.
    for (const [sid, placeholder] of placeholders) {
      const again = output(`again ${sid}`);
      r.apply([again]);
      expect(again.text).toBe(`again ${placeholder}`);
    }
    expect(new Set(placeholders.values()).size).toBe(300);
  });

  it('prefers the longer of two secrets where one starts with the other', () => {
    const r = new Redactor();
    const events = [response('abcdefgh', ''), response('abcdefgh-longer', ''), output('abcdefgh-longer and abcdefgh')];
    for (let i = 0; i < 40; i++) events.push(response(`filler-${i}-secret`, ''));
    r.apply(events);
    const last = output('abcdefgh-longer and abcdefgh');
    r.apply([last]);
    expect(last.text).toBe('<redacted:cookie:2> and <redacted:cookie:1>');
  });

  it('keeps the names of a .env file and replaces its values, the same value with the same placeholder as elsewhere', () => {
    const r = new Redactor();
    const kept = r.secretFile('.env', 'API_TOKEN=sk-live-123456789\nexport DB_URL="postgres://u:hunter22@db/app"\n# a comment\nEMPTY=\n');
    expect(kept).toBe('API_TOKEN=<redacted:env:1>\nexport DB_URL="<redacted:env:2>"\n# a comment\nEMPTY=\n');
    const line = output('token sk-live-123456789');
    r.apply([line]);
    expect(line.text).toBe('token <redacted:env:1>');
  });

  it('replaces a key file as a whole, and --redact fields in other text files', () => {
    const r = new Redactor(['password']);
    expect(r.secretFile('keys/id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n')).toBe('<redacted:file:1>');
    expect(r.fileText('{"user":"ada","password":"correct-horse"}')).toBe('{"user":"ada","password":"<redacted:password:1>"}');
  });
});

