/**
 * Secrets never reach the recording file: not in headers, bodies, console output or anywhere
 * else in its bytes. Each is replaced by a placeholder, the same one wherever it appears.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import { events, fixture, killAll, looptape, ofKind, removeTemps, serve, tempDir, type TestServer } from './support/looptape.js';

const SECRETS = {
  token: 'tok_live_9f8e7d6c5b4a3210',
  apiKey: 'key_1234567890abcdef',
  cookie: 'cookie_secret_abcdefgh',
  password: 'hunter2-correct-horse',
};
const SESSION = 'sess_0011223344556677';
const CSRF = 'csrf_8899aabbccddeeff';
const ALL_SECRETS = { ...SECRETS, session: SESSION, csrf: CSRF };
const PLACEHOLDER = /<redacted:[^>]+>/;

let upstream: TestServer | undefined;

afterEach(async () => {
  killAll();
  await upstream?.close();
  upstream = undefined;
});
afterAll(() => removeTemps());

async function upstreamHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  if (req.url === '/login') {
    res.setHeader('set-cookie', [`session=${SESSION}; Path=/; HttpOnly`, `csrf=${CSRF}; Path=/`]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ body, auth: req.headers.authorization }));
  } else {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.headers));
  }
}

async function recordSecrets(mode = '') {
  upstream = await serve((req, res) => void upstreamHandler(req, res));
  const dir = tempDir();
  const secretsFile = path.join(dir, 'secrets.json');
  fs.writeFileSync(secretsFile, JSON.stringify(SECRETS));
  const out = path.join(dir, 'secrets.tape');
  const run = await looptape(['record', '--redact', 'password', '--out', out, '--', process.execPath, fixture('secrets.mjs'), upstream.url, secretsFile, ...(mode ? [mode] : [])]);
  expect(run.code, run.err).toBe(0);
  return { out, run, all: await events(out) };
}

/** The secrets whose bytes are in the file. */
function leaked(file: string): string[] {
  const raw = fs.readFileSync(file);
  return Object.entries(ALL_SECRETS).filter(([, secret]) => raw.indexOf(secret) >= 0).map(([name]) => name);
}

function placeholderIn(text: string | undefined, before: string): string {
  const match = new RegExp(`${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(<redacted:[^>]+>)`).exec(text ?? '');
  expect(match, `a placeholder after '${before}' in ${text}`).not.toBeNull();
  return match![1];
}

const out = (all: LoopEvent[], url: string) => ofKind(all, 'http.request').find((e) => e.direction === 'out' && e.url.endsWith(url)) as HttpRequest;
const responseTo = (all: LoopEvent[], e: HttpRequest) => ofKind(all, 'http.response').find((r) => r.exchange === e.exchange) as HttpResponse;
const consoleText = (all: LoopEvent[]) => ofKind(all, 'console').map((e) => e.text).join('');

describe('redaction', () => {
  it('leaves no secret anywhere in the bytes of the recording file, while the program still sees them', async () => {
    const { out: file, run } = await recordSecrets();
    expect(run.out).toContain(`token ${SECRETS.token} key ${SECRETS.apiKey}`);
    expect(run.err).toContain(`session=${SESSION}`);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(leaked(file)).toEqual([]);
    expect(fs.readFileSync(file).indexOf('<redacted:')).toBeGreaterThanOrEqual(0);
  });

  it('gives the same secret the same placeholder in headers, bodies and console output', async () => {
    const { all } = await recordSecrets();
    const login = out(all, '/login');
    const me = out(all, '/me');
    const text = consoleText(all);

    const token = placeholderIn(login.headers.authorization as string, 'Bearer ');
    expect(placeholderIn(me.headers.authorization as string, 'Bearer ')).toBe(token);
    expect(placeholderIn(text, 'token ')).toBe(token);
    expect(placeholderIn(responseTo(all, login).body, '"auth":"Bearer ')).toBe(token);
    expect(placeholderIn(responseTo(all, me).body, '"authorization":"Bearer ')).toBe(token);

    const apiKey = login.headers['x-api-key'] as string;
    expect(apiKey).toMatch(PLACEHOLDER);
    expect(placeholderIn(text, ' key ')).toBe(apiKey);

    expect(placeholderIn(login.headers.cookie as string, 'sid=')).toMatch(PLACEHOLDER);
    expect(login.headers.cookie).toMatch(/; lang=en$/);

    const setCookie = responseTo(all, login).headers['set-cookie'] as string[];
    expect(setCookie).toHaveLength(2);
    const session = placeholderIn(setCookie[0], 'session=');
    const csrf = placeholderIn(setCookie[1], 'csrf=');
    expect(placeholderIn(me.headers.cookie as string, 'session=')).toBe(session);
    expect(placeholderIn(me.headers.cookie as string, 'csrf=')).toBe(csrf);
    expect(placeholderIn(text, 'session session=')).toBe(session);

    const password = placeholderIn(login.body, '"password":"');
    expect(placeholderIn(responseTo(all, login).body, '\\"password\\":\\"')).toBe(password);
    expect(placeholderIn(text, 'upstream saw password ')).toBe(password);

    const distinct = new Set([token, apiKey, placeholderIn(login.headers.cookie as string, 'sid='), session, csrf, password]);
    expect(distinct.size).toBe(6);
  });

  it('redacts a secret the program printed before it showed up in a header', async () => {
    const { out: file, all } = await recordSecrets('early');
    const first = ofKind(all, 'console')[0];
    expect(first.text).toMatch(/^starting with token /);
    expect(first.text).not.toContain(SECRETS.token);
    expect(leaked(file)).toEqual([]);
  });
});
