/**
 * A secret absent from the recording is absent from every export: a program that sends a
 * bearer token, an API key, a cookie and a password (in a JSON body) and receives session
 * cookies is recorded, and neither HAR, the traces nor the page hold any of them; HAR holds
 * the placeholders the recording gave them instead.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { exportTo, fixture, killAll, looptape, removeTemps, serve, tempDir, type TestServer } from './support.js';

const SECRETS = { token: 'tok_live_5e4d3c2b1a09f8e7', apiKey: 'key_feedfacecafebeef', cookie: 'cookie_secret_zyxwvuts', password: 'correct-horse-battery' };
const SESSION = 'sess_9988776655443322';

let dir: string;
let recording: string;
let upstream: TestServer;

async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of req) body += chunk;
  res.setHeader('content-type', 'application/json');
  if (req.url === '/login') res.setHeader('set-cookie', [`session=${SESSION}; Path=/; HttpOnly`]);
  res.end(JSON.stringify({ body, auth: req.headers.authorization }));
}

beforeAll(async () => {
  dir = tempDir();
  upstream = await serve((req, res) => void handler(req, res));
  const secrets = path.join(dir, 'secrets.json');
  fs.writeFileSync(secrets, JSON.stringify(SECRETS));
  recording = path.join(dir, 'secrets.tape');
  const run = await looptape(['record', '--redact', 'password', '--out', recording, '--', process.execPath, fixture('secrets.mjs'), upstream.url, secrets]);
  expect(run.code, run.err).toBe(0);
});
afterEach(() => killAll());
afterAll(async () => {
  await upstream?.close();
  removeTemps();
});

it('keeps every secret out of HAR, chrome-trace, perfetto and the page, and the placeholders in HAR (headers, cookies, bodies)', async () => {
  const view = path.join(dir, 'secrets.html');
  const run = await looptape(['view', recording, '--out', view]);
  expect(run.code, run.err).toBe(0);
  const outputs = [...(await Promise.all(['har', 'chrome-trace', 'perfetto'].map((format) => exportTo(recording, format, dir)))), view];
  for (const out of outputs) {
    const bytes = fs.readFileSync(out);
    for (const secret of [...Object.values(SECRETS), SESSION]) expect(bytes.includes(secret), `${secret} in ${path.basename(out)}`).toBe(false);
  }
  type Cookie = { name: string; value: string; path?: string; httpOnly?: boolean };
  type Entry = { request: { headers: Array<{ name: string; value: string }>; cookies: Cookie[]; postData?: { text: string } }; response: { cookies: Cookie[] } };
  const har = JSON.parse(fs.readFileSync(outputs[0], 'utf8')) as { log: { entries: Entry[] } };
  const login = har.log.entries.find((e) => e.request.postData)!;
  expect(login.request.cookies).toEqual([{ name: 'sid', value: expect.stringMatching(/^<redacted:[^>]+>$/) }, { name: 'lang', value: 'en' }]);
  expect(login.response.cookies).toEqual([{ name: 'session', value: expect.stringMatching(/^<redacted:[^>]+>$/), path: '/', httpOnly: true }]);
  expect(login.request.headers.find((h) => h.name === 'authorization')!.value).toMatch(/^Bearer <redacted:[^>]+>$/);
  expect(login.request.headers.find((h) => h.name === 'x-api-key')!.value).toMatch(/^<redacted:[^>]+>$/);
  expect(JSON.parse(login.request.postData!.text).password).toMatch(/^<redacted:[^>]+>$/);
});
