/**
 * Secrets never reach the recording file: not in headers, bodies, console output or anywhere
 * else in its bytes. Each is replaced by a placeholder, the same one wherever it appears.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import { events, fixture, killAll, looptape, ofKind, removeTemps, replay, serve, sleep, startLooptape, tempDir, type TestServer } from './support/looptape.js';

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

describe('redaction: corner cases', () => {
  const PLACEHOLDER = /^<redacted:[^>]+>$/;
  const echoAll = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers, body }));
  };
  const okOnly = async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _ of req);
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
  const placeholdersIn = (all: LoopEvent[]) => JSON.stringify(all).match(/<redacted:[^>]+>/g) ?? [];
  const exchange = (all: LoopEvent[], pathname: string) => {
    const request = ofKind(all, 'http.request').find((e) => e.direction === 'out' && new URL(e.url).pathname === pathname) as HttpRequest;
    const response = ofKind(all, 'http.response').find((e) => e.exchange === request?.exchange) as HttpResponse;
    return { request, response };
  };

  it("replaces a one-character x-api-key ('k') by a placeholder without corrupting anything else (keep-alive headers, a randomUUID in the body)", async () => {
    upstream = await serve((req, res) => void echoAll(req, res));
    const out = path.join(tempDir(), 'short-key.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'short-key']);
    expect(run.code, run.err).toBe(0);
    const uuid = /^uuid (\S+)$/m.exec(run.out)![1];
    const all = await events(out);
    const { request, response } = exchange(all, '/short');
    expect(request.headers['x-api-key']).toMatch(PLACEHOLDER);
    expect(JSON.parse(request.body)).toEqual({ id: uuid, note: 'keep-alive kept' });
    expect(response.headers).toMatchObject({ connection: 'keep-alive', 'keep-alive': 'timeout=5' });
    const echoed = JSON.parse(response.body);
    expect(echoed.headers).toMatchObject({ connection: 'keep-alive', host: `127.0.0.1:${upstream.port}` });
    expect(JSON.parse(echoed.body)).toEqual({ id: uuid, note: 'keep-alive kept' });
    expect(ofKind(all, 'console')[0].text).toBe(`uuid ${uuid}\n`);
    // The header value is the only thing replaced anywhere in the recording.
    expect(placeholdersIn(all)).toEqual([request.headers['x-api-key']]);
  });

  it('--redact pin leaves no 1234 after "pin": for the JSON body {"pin":"1234"}', async () => {
    upstream = await serve((req, res) => void okOnly(req, res));
    const out = path.join(tempDir(), 'pin.tape');
    const run = await looptape(['record', '--redact', 'pin', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'pin']);
    expect(run.code, run.err).toBe(0);
    const { request } = exchange(await events(out), '/pin');
    expect(JSON.parse(request.body).pin).toMatch(PLACEHOLDER);
    expect(fs.readFileSync(out).toString('latin1')).not.toMatch(/\\*"pin\\*"\s*:\s*\\*"?1234/);
  });

  it('--redact pin also leaves no 1234 after "pin": where the upstream echoes the body back inside a JSON string', async () => {
    upstream = await serve((req, res) => void echoAll(req, res));
    const out = path.join(tempDir(), 'pin-echo.tape');
    const run = await looptape(['record', '--redact', 'pin', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'pin']);
    expect(run.code, run.err).toBe(0);
    const { request, response } = exchange(await events(out), '/pin');
    expect(JSON.parse(request.body).pin).toMatch(PLACEHOLDER);
    expect(response.body).toContain('"pin');
    expect(response.body, 'the recorded response body').not.toMatch(/\\*"pin\\*"\s*:\s*\\*"?1234/);
    expect(fs.readFileSync(out).toString('latin1')).not.toMatch(/\\*"pin\\*"\s*:\s*\\*"?1234/);
  });

  const TOKEN = 'tok_early_0a1b2c3d4e5f6a7b';
  function tokenFile(dir: string): string {
    const file = path.join(dir, 'token.txt');
    fs.writeFileSync(file, `${TOKEN}\n`);
    return file;
  }
  /** The token the program printed before sending it: the same placeholder in the header and the output, and nowhere in the files. */
  async function expectEarlyTokenRedacted(dir: string, out: string): Promise<void> {
    const all = await events(out);
    const { request } = exchange(all, '/auth');
    const placeholder = /^Bearer (<redacted:[^>]+>)$/.exec(request.headers.authorization as string)?.[1];
    expect(placeholder).toBeDefined();
    expect(ofKind(all, 'console')[0].text).toBe(`starting with token ${placeholder}\n`);
    expect(tokenInFiles(dir, out)).toEqual([]);
  }

  /** The token's bytes in the recording and anything beside it. */
  function tokenInFiles(dir: string, tape: string): string[] {
    return fs.readdirSync(dir).filter((n) => n.startsWith(path.basename(tape)) && fs.readFileSync(path.join(dir, n)).includes(TOKEN));
  }

  it('removes a token printed before it was first sent as authorization from the file\'s bytes, once the program ends normally', async () => {
    upstream = await serve((req, res) => void okOnly(req, res));
    const dir = tempDir();
    const out = path.join(dir, 'early.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'early', tokenFile(dir)]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`starting with token ${TOKEN}`);
    await expectEarlyTokenRedacted(dir, out);
  });

  it('removes a token printed before it was first sent from the file\'s bytes when the program is SIGKILLed 1 s after sending it', async () => {
    upstream = await serve((req, res) => void okOnly(req, res));
    const dir = tempDir();
    const out = path.join(dir, 'early-killed.tape');
    const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'early-hang', tokenFile(dir)]);
    const [, pid] = await recording.waitFor(/sent (\d+)\n/);
    await sleep(1000);
    process.kill(Number(pid), 'SIGKILL');
    const run = await recording.finished;
    expect(run.code, run.err).toBe(137);
    await expectEarlyTokenRedacted(dir, out);
  });

  const HARDCODED = 'hardcoded_tok_5f4e3d2c1b0a';

  it('replays ok a program with a secret hard-coded in its code, sent as authorization and printed to the console', async () => {
    upstream = await serve((req, res) => void echoAll(req, res));
    const out = path.join(tempDir(), 'hardcoded.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'hardcoded']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(`used ${HARDCODED}, status 200\n`);
    expect(fs.readFileSync(out).includes(HARDCODED)).toBe(false);
    const recorded = ofKind(await events(out), 'console').map((e) => e.text).join('');
    expect(recorded).toMatch(/^used <redacted:[^>]+>, status 200\n$/);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout, 'what replay shows is redacted as recorded').toBe(recorded);
  });

  it('replays ok a program with a hard-coded secret that also prints the upstream\'s echo of its authorization header', async () => {
    upstream = await serve((req, res) => void echoAll(req, res));
    const out = path.join(tempDir(), 'hardcoded-echo.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('redact-cases.mjs'), upstream.url, 'hardcoded-echo']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`"authorization":"Bearer ${HARDCODED}"`);
    expect(fs.readFileSync(out).includes(HARDCODED)).toBe(false);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
  });
});
