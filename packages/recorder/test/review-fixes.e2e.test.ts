/**
 * Fixes from the code review, proved end to end with the real `looptape` command on real
 * programs (fixtures rf-*.mjs): Ctrl-C, exit handlers, a recording killed mid-write, timers
 * cleared by number or close(), crypto.randomInt/randomFill[Sync], Date's identity, a program's own TCP server,
 * redaction corner cases, an --out that cannot be written.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import { REGISTER_ENTRY } from '@looptape/recorder';
import {
  events, fixture, killAll, lineOf, lines, looptape, node, ofKind, serve, startLooptape, type Finished, type TestServer,
} from './support/looptape.js';

const scratchDirs: string[] = [];
/** A fresh folder /tmp/fixtests-recorder-XXXXXX, removed after the file. */
function scratch(): string {
  const dir = fs.mkdtempSync('/tmp/fixtests-recorder-');
  scratchDirs.push(dir);
  return dir;
}

let upstream: TestServer | undefined;

afterEach(async () => {
  killAll();
  await upstream?.close();
  upstream = undefined;
});
afterAll(() => {
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nonTask = (all: LoopEvent[]) => all.filter((e) => !e.kind.startsWith('task.'));

/** One line on stderr, from looptape, without a stack trace. */
function expectOneLooptapeLine(run: Finished, pattern: RegExp): void {
  expect(lines(run.err), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^looptape: /);
  expect(run.err).toMatch(pattern);
  expect(run.err).not.toMatch(/^\s+at /m);
}

/** `looptape ls DIR --json`: one object per recording. */
async function ls(dir: string): Promise<Array<{ name: string; complete: boolean; exitCode: number | null; events: number }>> {
  const run = await looptape(['ls', dir, '--json']);
  expect(run.code, run.err).toBe(0);
  return run.out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** `looptape replay FILE --json`, parsed. */
async function replay(file: string): Promise<{ run: Finished; result: { ok: boolean; stdout: string; exitCode: number | null; divergence: unknown } }> {
  const run = await looptape(['replay', file, '--json']);
  let result;
  try {
    result = JSON.parse(run.out);
  } catch {
    throw new Error(`replay printed no JSON (exit ${run.code}): ${run.out}\n${run.err}`);
  }
  return { run, result };
}

describe('Ctrl-C', () => {
  it('reaches the recorded program once when the terminal signals the whole process group; record exits with the code the program chose', async () => {
    const out = path.join(scratch(), 'sigint.tape');
    // startLooptape spawns `record` detached: its own process group, as a shell job in a terminal.
    const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('rf-sigint.mjs')]);
    await recording.waitFor(/ready \d+\n/);
    await sleep(100);
    process.kill(-recording.pid, 'SIGINT'); // what the terminal does on Ctrl-C: the foreground group
    const run = await recording.finished;
    expect(run.code, run.err).toBe(7);
    expect(run.out).toMatch(/^ready \d+\nsigints 1\n$/);
    const all = await events(out);
    expect(ofKind(all, 'process.signal').map((e) => e.signal)).toEqual(['SIGINT']);
    expect(ofKind(all, 'process.exit').map((e) => e.code)).toEqual([7]);
  });
});

describe('exit handlers', () => {
  it("records what the program's own process.on('exit') handler prints and the Date.now it draws, before process.exit", async () => {
    const out = path.join(scratch(), 'exit.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-exit-handler.mjs')]);
    expect(run.code, run.err).toBe(0);
    const [, printedNow] = /^work done\nexit handler code 0 at (\d+)\n$/.exec(run.out) ?? [];
    expect(printedNow, run.out).toBeDefined();
    const all = nonTask(await events(out));
    const exit = all.findIndex((e) => e.kind === 'process.exit');
    expect(exit).toBeGreaterThan(0);
    expect(all.filter((e) => e.kind !== 'process.active').at(-1)).toMatchObject({ kind: 'process.exit', code: 0 });
    const said = all.findIndex((e) => e.kind === 'console' && e.text === `exit handler code 0 at ${printedNow}\n`);
    const drawn = all.findIndex((e) => e.kind === 'nondet' && e.source === 'Date.now' && e.value === Number(printedNow));
    expect(said, 'the exit handler\'s console.log is recorded').not.toBe(-1);
    expect(drawn, 'its Date.now draw is recorded with the value it printed').not.toBe(-1);
    expect(drawn).toBeLessThan(said);
    expect(said).toBeLessThan(exit);
  });
});

describe('a recording killed mid-write', () => {
  it('is finalized by record after a SIGKILL while the program writes many events: exit 137, events and ls open it, complete false (3 times)', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const dir = scratch();
      const out = path.join(dir, `flood-${attempt}.tape`);
      const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('rf-flood.mjs')], { timeoutMs: 90_000 });
      const [, pid] = await recording.waitFor(/pid (\d+)\n/);
      await sleep(1300);
      process.kill(Number(pid), 'SIGKILL');
      const run = await recording.finished;
      expect(run.code, `attempt ${attempt}: ${run.err}`).toBe(137);
      expect(run.err).toContain('looptape: the program was killed (SIGKILL)');
      expect(run.err).not.toMatch(/^\s+at /m);
      expect(fs.readdirSync(dir).sort(), 'no -wal/-journal left beside it').toEqual([`flood-${attempt}.tape`]);

      const shown = await looptape(['events', out, '--json', '--kind', 'console']);
      expect(shown.code, shown.err).toBe(0);
      // Said once, on stderr: the recording holds what was written before the kill.
      expect(shown.err).toBe(`looptape: note: ${out} was cut short (the program was killed, or the recorder stopped, before the recording closed): it holds what was written until then\n`);
      const consoleLines = shown.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LoopEvent);
      expect(consoleLines[0]).toMatchObject({ kind: 'console', text: `pid ${pid}\n` });

      const listed = await ls(dir);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ name: `flood-${attempt}.tape`, complete: false, exitCode: null });
      expect(listed[0].events, 'it holds what was written before the kill').toBeGreaterThan(10_000);
      fs.rmSync(dir, { recursive: true, force: true }); // hundreds of MB each
    }
  }, 240_000);
});

describe('timers cleared without their handle object', () => {
  it('records clearTimeout(+handle), clearInterval(number) and handle.close() as timer.clear, and report finds no leaked handle', async () => {
    const out = path.join(scratch(), 'cleared.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-clear-timers.mjs')]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('cleared four timers\n');
    const all = await events(out);
    const long = ofKind(all, 'timer.set').filter((e) => e.delay === 60_000);
    expect(long).toHaveLength(4);
    expect(ofKind(all, 'timer.clear').map((e) => e.timer).sort()).toEqual(long.map((e) => e.timer).sort());
    const report = await looptape(['report', out, '--json']);
    expect(report.code, report.out).toBe(0);
    expect(JSON.parse(report.out).findings).toEqual([]);
  });

  it('(control) the one timer the same program leaves pending has no timer.clear', async () => {
    // Not through report: a timer still pending at a process.exit() is cut off on purpose, not a leak.
    const out = path.join(scratch(), 'kept.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-clear-timers.mjs'), 'keep']);
    expect(run.code, run.err).toBe(0);
    const all = await events(out);
    const kept = ofKind(all, 'timer.set').filter((e) => e.delay === 45_000);
    expect(kept).toHaveLength(1);
    expect(kept[0].site).toMatch(new RegExp(`rf-clear-timers\\.mjs:${lineOf(fixture('rf-clear-timers.mjs'), "'kept FIRED'")}:`));
    expect(ofKind(all, 'timer.clear').map((e) => e.timer)).not.toContain(kept[0].timer);
    expect(ofKind(all, 'timer.clear')).toHaveLength(4);
  });
});

describe('crypto.randomInt and randomFill', () => {
  it('records randomInt (sync and callback), randomFillSync and randomFill as nondet with the values the program printed, and replay hands them back', async () => {
    const out = path.join(scratch(), 'random.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-random.mjs')]);
    expect(run.code, run.err).toBe(0);
    const printed = Object.fromEntries(run.out.trim().split('\n').map((l) => {
      const [, what, value] = /^(.+) (\S+)$/.exec(l)!;
      return [what, value];
    }));
    const drawn = ofKind(await events(out), 'nondet').filter((e) => e.source.startsWith('crypto.'));
    expect(drawn.map((e) => e.source)).toEqual(['crypto.randomInt', 'crypto.randomInt', 'crypto.randomFillSync', 'crypto.randomFill']);
    expect(drawn[0].value).toBe(Number(printed['randomInt sync']));
    expect(drawn[1].value).toBe(Number(printed['randomInt callback']));
    expect(Buffer.from(drawn[2].value as string, 'base64').toString('hex')).toBe(printed.randomFillSync);
    expect(Buffer.from(drawn[3].value as string, 'base64').toString('hex')).toBe(printed.randomFill);

    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(run.out);
  });
});

describe('Date', () => {
  it('keeps new Date().constructor === Date, Date.name and Date.length under record and under replay', async () => {
    const out = path.join(scratch(), 'date.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-date.mjs')]);
    expect(run.code, run.err).toBe(0);
    const expected = ['main', 'timer'].flatMap((where) => [
      `${where}: constructor true true`, `${where}: name Date length 7`, `${where}: instanceof true now number`,
    ]).join('\n') + '\n';
    expect(run.out).toBe(expected);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(expected);
  });
});

describe('raw TCP', () => {
  const echo = (req: IncomingMessage, res: ServerResponse) => res.end(`ok ${req.url}`);

  it("records a connection to the program's own TCP server as local work (neither net events nor unsupported), and fetch/http.request as HTTP; replays it", async () => {
    upstream = await serve(echo);
    const out = path.join(scratch(), 'net.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-net.mjs'), upstream.url, 'net']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('fetch ok /fetch\nhttp.request ok /request\nnet hello over tcp\n');
    const all = await events(out);
    expect(ofKind(all, 'unsupported')).toEqual([]);
    expect(all.filter((e) => e.kind.startsWith('net.'))).toEqual([]);
    expect(ofKind(all, 'http.request').filter((e) => e.direction === 'out').map((e) => new URL(e.url).pathname)).toEqual(['/fetch', '/request']);
    const server = upstream;
    upstream = undefined;
    await server.close();
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.stdout).toBe(run.out);
  });

  it('records nothing unsupported for a program that only uses fetch and http.request, and replays it', async () => {
    upstream = await serve(echo);
    const out = path.join(scratch(), 'http-only.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-net.mjs'), upstream.url]);
    expect(run.code, run.err).toBe(0);
    expect(ofKind(await events(out), 'unsupported')).toEqual([]);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.stdout).toBe(run.out);
  });
});

describe('redaction', () => {
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
    const out = path.join(scratch(), 'short-key.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'short-key']);
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
    const out = path.join(scratch(), 'pin.tape');
    const run = await looptape(['record', '--redact', 'pin', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'pin']);
    expect(run.code, run.err).toBe(0);
    const { request } = exchange(await events(out), '/pin');
    expect(JSON.parse(request.body).pin).toMatch(PLACEHOLDER);
    expect(fs.readFileSync(out).toString('latin1')).not.toMatch(/\\*"pin\\*"\s*:\s*\\*"?1234/);
  });

  it('--redact pin also leaves no 1234 after "pin": where the upstream echoes the body back inside a JSON string', async () => {
    upstream = await serve((req, res) => void echoAll(req, res));
    const out = path.join(scratch(), 'pin-echo.tape');
    const run = await looptape(['record', '--redact', 'pin', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'pin']);
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
  /** The token's bytes in the recording and anything beside it. */
  /** The token the program printed before sending it: the same placeholder in the header and the output, and nowhere in the files. */
async function expectEarlyTokenRedacted(dir: string, out: string): Promise<void> {
  const all = await events(out);
  const { request } = exchange(all, '/auth');
  const placeholder = /^Bearer (<redacted:[^>]+>)$/.exec(request.headers.authorization as string)?.[1];
  expect(placeholder).toBeDefined();
  expect(ofKind(all, 'console')[0].text).toBe(`starting with token ${placeholder}\n`);
  expect(tokenInFiles(dir, out)).toEqual([]);
}

function tokenInFiles(dir: string, tape: string): string[] {
    return fs.readdirSync(dir).filter((n) => n.startsWith(path.basename(tape)) && fs.readFileSync(path.join(dir, n)).includes(TOKEN));
  }

  it('removes a token printed before it was first sent as authorization from the file\'s bytes, once the program ends normally', async () => {
    upstream = await serve((req, res) => void okOnly(req, res));
    const dir = scratch();
    const out = path.join(dir, 'early.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'early', tokenFile(dir)]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`starting with token ${TOKEN}`);
    await expectEarlyTokenRedacted(dir, out);
  });

  it('removes a token printed before it was first sent from the file\'s bytes when the program is SIGKILLed 1 s after sending it', async () => {
    upstream = await serve((req, res) => void okOnly(req, res));
    const dir = scratch();
    const out = path.join(dir, 'early-killed.tape');
    const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'early-hang', tokenFile(dir)]);
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
    const out = path.join(scratch(), 'hardcoded.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'hardcoded']);
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
    const out = path.join(scratch(), 'hardcoded-echo.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('rf-redact.mjs'), upstream.url, 'hardcoded-echo']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`"authorization":"Bearer ${HARDCODED}"`);
    expect(fs.readFileSync(out).includes(HARDCODED)).toBe(false);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
  });
});

describe('an --out that cannot be written', () => {
  it('record --out /proc/x.tape exits 2 with one line and does not run the program', async () => {
    const run = await looptape(['record', '--out', '/proc/x.tape', '--', process.execPath, fixture('rf-ran.mjs')]);
    expect(run.code).toBe(2);
    expectOneLooptapeLine(run, /\/proc\/x\.tape/);
    expect(run.out).not.toContain('PROGRAM RAN');
    expect(fs.existsSync('/proc/x.tape')).toBe(false);
  });

  it('the preload started by hand with LOOPTAPE_OUT=/proc/y.tape still runs the program, with one "looptape: not recording" line', async () => {
    const run = await node(['--import', REGISTER_ENTRY, fixture('rf-ran.mjs')], { env: { LOOPTAPE_OUT: '/proc/y.tape' } });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('PROGRAM RAN\n');
    expectOneLooptapeLine(run, /^looptape: not recording/);
  });
});
