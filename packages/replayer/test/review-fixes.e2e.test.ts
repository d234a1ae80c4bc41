/**
 * Fixes from the code review, proved end to end with the real `looptape` command on real
 * programs (fixtures rf-*.mjs): a throwing timer callback, replay from another folder, the
 * divergence in a long body, a recording made in a terminal replayed into a pipe, schedules
 * without `t` or with a dropped delivery.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { killAll, lines, looptape, startLooptape, serve, type Finished, type StartOptions, type TestServer } from '../../recorder/test/support/looptape.js';
import type { ReplayResult } from '../src/result.js';
import { BIN, FIXTURES, recordedStdout } from './support/cli.js';

const NODE = process.execPath;
const fixture = (name: string) => path.join(FIXTURES, name);

const scratchDirs: string[] = [];
/** A fresh folder /tmp/fixtests-replayer-XXXXXX, removed after the file. */
function scratch(): string {
  const dir = fs.mkdtempSync('/tmp/fixtests-replayer-');
  scratchDirs.push(dir);
  return dir;
}

let upstream: TestServer | undefined;
const TMUX_SOCKET = `fixtests-replayer-${process.pid}`;

afterEach(async () => {
  killAll();
  await upstream?.close();
  upstream = undefined;
});
afterAll(() => {
  spawnSync('tmux', ['-L', TMUX_SOCKET, 'kill-server'], { stdio: 'ignore' });
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function events(file: string, ...kinds: string[]): Promise<LoopEvent[]> {
  const run = await looptape(['events', file, '--json', ...kinds.flatMap((k) => ['--kind', k])]);
  if (run.code !== 0) throw new Error(`events ${file} exited ${run.code}: ${run.err}`);
  return run.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LoopEvent);
}

/** `looptape replay FILE --json ARGS…`, its result parsed (throws when there is none). */
async function replayJson(file: string, args: string[] = [], options: StartOptions = {}): Promise<{ run: Finished; result: ReplayResult }> {
  const run = await looptape(['replay', file, '--json', ...args], options);
  try {
    return { run, result: JSON.parse(run.out) as ReplayResult };
  } catch {
    throw new Error(`replay ${file} printed no JSON result (exit ${run.code}):\n${run.out}\n${run.err}`);
  }
}

/** One line on stderr, from looptape, without a stack trace. */
function expectOneLooptapeLine(run: Finished, pattern: RegExp): void {
  expect(lines(run.err), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^looptape: /);
  expect(run.err).toMatch(pattern);
  expect(run.err).not.toMatch(/^\s+at /m);
}

/** GET on a connection of its own, closed after the answer (the server can then close at once). */
function getOnce(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
    }).on('error', reject);
  });
}

describe('a timer callback that throws', () => {
  it('replays ok in a program whose uncaughtException handler logs and carries on: the later timer\'s output is there', async () => {
    const out = path.join(scratch(), 'handled.tape');
    const recorded = await looptape(['record', '--out', out, '--', NODE, fixture('rf-timer-throws.mjs'), 'handled']);
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toBe('first timer\ncaught thrown from a timer\nlater timer ran\n');
    const { run, result } = await replayJson(out);
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('first timer\ncaught thrown from a timer\nlater timer ran\n');
  });

  it('crashes the program in replay exactly as recorded without a handler (exit 1), and replay reports a match', async () => {
    const out = path.join(scratch(), 'crash.tape');
    const recorded = await looptape(['record', '--out', out, '--', NODE, fixture('rf-timer-throws.mjs')]);
    expect(recorded.code).toBe(1);
    expect(recorded.err).toContain('Error: thrown from a timer');
    const { run, result } = await replayJson(out);
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.divergence).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('first timer\n');
    expect(result.errors).toMatchObject([{ kind: 'error.uncaught', message: 'thrown from a timer' }]);
    expect(run.err).toContain('Error: thrown from a timer');
  });
});

describe('replay from another folder', () => {
  function recordJob(): { dir: string; tape: string } {
    const dir = scratch();
    const b = path.join(dir, 'b');
    fs.mkdirSync(b);
    fs.copyFileSync(fixture('rf-job.mjs'), path.join(b, 'job.mjs'));
    fs.writeFileSync(path.join(b, 'input.txt'), 'hello\n');
    return { dir, tape: path.join(b, 'job.tape') };
  }

  it('replays ok a program recorded in dir/b as `node job.mjs` when `looptape replay b/job.tape` runs from dir', async () => {
    const { dir, tape } = recordJob();
    const recorded = await looptape(['record', '--out', 'job.tape', '--', NODE, 'job.mjs'], { cwd: path.join(dir, 'b') });
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toMatch(/^job read hello at \d+\n$/);
    const { run, result } = await replayJson('b/job.tape', [], { cwd: dir });
    expect(run.code, `${JSON.stringify(result.divergence)}\n${run.err}`).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(recorded.out);
    expect(fs.existsSync(tape)).toBe(true);
  });

  it('exits 2 with one line naming job.mjs and the recorded folder once job.mjs has been moved away', async () => {
    const { dir } = recordJob();
    const b = path.join(dir, 'b');
    const recorded = await looptape(['record', '--out', 'job.tape', '--', NODE, 'job.mjs'], { cwd: b });
    expect(recorded.code, recorded.err).toBe(0);
    fs.renameSync(path.join(b, 'job.mjs'), path.join(dir, 'moved-job.mjs'));
    for (const json of [false, true]) {
      const run = await looptape(['replay', 'b/job.tape', ...(json ? ['--json'] : [])], { cwd: dir });
      expect(run.code, run.out).toBe(2);
      expectOneLooptapeLine(run, /job\.mjs/);
      expect(run.err).toContain(b);
    }
  });
});

describe('a divergence in a long response body', () => {
  it('shows, in text and in --json expected.what/actual.what, the part where the two bodies first differ', async () => {
    const dir = scratch();
    const tape = path.join(dir, 'long.tape');
    const recording = startLooptape(['record', '--out', tape, '--', NODE, fixture('rf-long-body.mjs')]);
    const [, port] = await recording.waitFor(/listening (\d+)\n/);
    const body = await getOnce(`http://127.0.0.1:${port}/report`);
    expect(body.length).toBeGreaterThan(5000);
    expect(body.endsWith(',"total":120}')).toBe(true);
    const recorded = await recording.finished;
    expect(recorded.code, recorded.err).toBe(0);

    const edited = path.join(dir, 'long-edited.mjs');
    const original = fs.readFileSync(fixture('rf-long-body.mjs'), 'utf8');
    const text = original.replace('{ rows, total: rows.length }', '{ rows, total: rows.length, v: 2 }');
    expect(text).not.toBe(original);
    fs.writeFileSync(edited, text);

    const { run, result } = await replayJson(tape, ['--', NODE, edited]);
    expect(run.code).toBe(1);
    expect(result.ok).toBe(false);
    const d = result.divergence!;
    expect(d.expected).toMatchObject({ kind: 'http.response' });
    expect(d.actual).toMatchObject({ kind: 'http.response' });
    expect(d.actual!.what).toContain('"v":2');
    expect(d.expected!.what).not.toContain('"v":2');
    expect(d.expected!.what).toContain('"total":120}');
    // Not the head of the bodies, which is the same in both.
    expect(d.actual!.what).not.toContain('{"rows":[{"id":0');

    const shown = await looptape(['replay', tape, '--', NODE, edited]);
    expect(shown.code).toBe(1);
    const report = shown.out + shown.err;
    const expectedLine = report.split('\n').find((l) => /^\s*expected:/.test(l));
    const actualLine = report.split('\n').find((l) => /^\s*actual:/.test(l));
    expect(actualLine, report).toContain('"v":2');
    expect(expectedLine, report).toBeDefined();
    expect(expectedLine).not.toContain('"v":2');
    expect(expectedLine).toContain('"total":120}');
  });
});

describe('recorded in a terminal, replayed into a pipe', () => {
  it('matches: replay --json in a pipe is ok and its stdout is the coloured text recorded in tmux', async () => {
    const dir = scratch();
    const tape = path.join(dir, 'tty.tape');
    const done = path.join(dir, 'done');
    const q = JSON.stringify;
    const command = `cd ${q(dir)} && env -u NO_COLOR -u NODE_DISABLE_COLORS -u FORCE_COLOR ${q(NODE)} ${q(BIN)} record --out ${q(tape)} -- ${q(NODE)} ${q(fixture('rf-colors.mjs'))}; echo $? > ${q(done)}; sleep 60`;
    execFileSync('tmux', ['-L', TMUX_SOCKET, 'new-session', '-d', '-s', 'record', '-x', '100', '-y', '20', command]);
    try {
      const until = Date.now() + 20_000;
      while (!(fs.existsSync(done) && fs.readFileSync(done, 'utf8').endsWith('\n'))) {
        if (Date.now() > until) throw new Error('record in tmux did not finish in 20 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      spawnSync('tmux', ['-L', TMUX_SOCKET, 'kill-session', '-t', 'record'], { stdio: 'ignore' });
    }
    expect(fs.readFileSync(done, 'utf8')).toBe('0\n');
    const text = recordedStdout(await events(tape, 'console'));
    expect(text).toContain('\x1b[33m42\x1b[39m');
    expect(text).toContain('\x1b[32m');
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe("42 { a: 'x' }\n");

    const { run, result } = await replayJson(tape); // stdout is a pipe here
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(text);
  });
});

describe('schedules', () => {
  async function recordWait(): Promise<{ tape: string; dir: string; deliveries: Array<Record<string, unknown>> }> {
    upstream = await serve((_req, res) => void setTimeout(() => res.end('forty-two'), 10));
    const dir = scratch();
    const tape = path.join(dir, 'wait.tape');
    const recorded = await looptape(['record', '--out', tape, '--', NODE, fixture('rf-wait.mjs'), upstream.url]);
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toBe('timer done\nanswer forty-two\n');
    const printed = await looptape(['replay', tape, '--print-schedule']);
    expect(printed.code, printed.err).toBe(0);
    const deliveries = JSON.parse(printed.out).deliveries as Array<Record<string, unknown>>;
    expect(deliveries.map((d) => d.kind)).toEqual(['timer', 'response']);
    return { tape, dir, deliveries };
  }

  it('accepts a delivery without t (or refuses it with one line, exit 2), never with a stack trace', async () => {
    const { tape, dir, deliveries } = await recordWait();
    const schedule = path.join(dir, 'no-t.json');
    fs.writeFileSync(schedule, JSON.stringify({ version: 1, deliveries: deliveries.map(({ t: _t, ...rest }) => rest) }));
    const run = await looptape(['replay', tape, '--json', '--schedule', schedule]);
    expect(run.err).not.toMatch(/^\s+at /m);
    expect([0, 2]).toContain(run.code);
    if (run.code === 2) {
      expectOneLooptapeLine(run, /schedule|no-t\.json/);
    } else {
      const result = JSON.parse(run.out) as ReplayResult;
      expect(result.ok, JSON.stringify(result.divergence)).toBe(true);
      expect(result.stdout).toBe('timer done\nanswer forty-two\n');
    }
  });

  it('ends with ok false (exit 1) when the schedule drops a delivery the program then waits for', async () => {
    const { tape, dir, deliveries } = await recordWait();
    const schedule = path.join(dir, 'dropped.json');
    fs.writeFileSync(schedule, JSON.stringify({ version: 1, deliveries: deliveries.filter((d) => d.kind !== 'response') }));
    const { run, result } = await replayJson(tape, ['--schedule', schedule]);
    expect(result.stdout).toBe('timer done\n'); // the program is left waiting for its answer
    expect(result.ok, JSON.stringify(result)).toBe(false);
    expect(run.code).toBe(1);
  });
});
