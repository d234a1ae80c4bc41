/**
 * The recorder keeps itself out of the recording (its flush timer, its SQLite writes), and a
 * lean recording (the default) leaves the task tree out while HTTP and timers stay as --tree has them.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordingReader } from '@looptape/recording';
import { events, fixture, killAll, looptape, ofKind, removeTemps, serve, tempDir, type TestServer } from './support/looptape.js';

let upstream: TestServer | undefined;

afterEach(async () => {
  killAll();
  await upstream?.close();
  upstream = undefined;
});
afterAll(() => removeTemps());

describe('the recorder does not record itself', () => {
  it('records only the program\'s own timer while the program idles for a second', async () => {
    const out = path.join(tempDir(), 'idle.tape');
    const run = await looptape(['record', '--tree', '--out', out, '--', process.execPath, fixture('idle.mjs')]);
    expect(run.code, run.err).toBe(0);
    const all = await events(out);
    const sets = ofKind(all, 'timer.set');
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ api: 'setTimeout', delay: 1000, repeat: false });
    expect(sets[0].site).toMatch(/idle\.mjs:2:1$/);
    expect(ofKind(all, 'task.init').filter((e) => e.type === 'Timeout').map((e) => e.task)).toEqual([sets[0].resource]);
    // The program does nothing for a second while the recorder flushes every 250 ms:
    // nothing may show in the middle of that second (its start and end belong to the program).
    const [fire] = ofKind(all, 'timer.fire');
    expect(fire.t - sets[0].t).toBeGreaterThanOrEqual(999);
    const idle = all.filter((e) => e.t > sets[0].t + 100 && e.t < fire.t - 100);
    expect(idle.map((e) => `${e.kind} task=${e.task} t=${e.t}`)).toEqual([]);
  });
});

describe('lean recording (the default) and --tree', () => {
  async function recordApp(...flags: string[]) {
    upstream ??= await serve((req, res) => res.end(`upstream ${req.url}`));
    const out = path.join(tempDir(), `app${flags.join('')}.tape`);
    const run = await looptape(['record', ...flags, '--out', out, '--', process.execPath, fixture('fetch-twice.mjs'), upstream.url]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(flags.includes('--no-promises') ? /^looptape: note: --no-promises is the default now/ : /^looptape: recorded/);
    expect(run.out).toBe('upstream /a upstream /b\n');
    const reader = RecordingReader.open(out);
    const { promises } = reader.meta;
    reader.close();
    return { all: await events(out), promises };
  }

  it('records no promise tasks, and the same HTTP exchanges and timers as a full recording', async () => {
    const full = await recordApp('--tree');
    const lean = await recordApp();
    // The flag lean replaced says so, and records the same.
    expect((await recordApp('--no-promises')).promises).toBe(false);
    expect(full.promises).toBe(true);
    expect(lean.promises).toBe(false);
    expect(ofKind(full.all, 'task.init').filter((e) => e.type === 'PROMISE').length).toBeGreaterThan(10);
    expect(ofKind(lean.all, 'task.init').filter((e) => e.type === 'PROMISE')).toEqual([]);
    const outside = (all: typeof full.all) => all
      .filter((e) => e.kind.startsWith('http.') || e.kind.startsWith('timer.'))
      .map((e) => (e.kind === 'http.request' ? `${e.kind} ${e.method} ${e.url}` : e.kind === 'http.response' ? `${e.kind} ${e.status} ${e.body}` : e.kind))
      .sort();
    expect(outside(lean.all)).toEqual(outside(full.all));
    expect(outside(lean.all)).toEqual(expect.arrayContaining([
      `http.request GET ${upstream!.url}/a`, `http.request GET ${upstream!.url}/b`, 'http.response 200 upstream /a', 'timer.set', 'timer.fire',
    ]));
  });
});
