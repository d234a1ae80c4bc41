/**
 * Every source of nondeterminism a program draws from is recorded with the value the
 * program got — also through ESM named imports of builtins — and nothing else is:
 * the clock and randomness Node and fetch use for themselves are not the program's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Nondet } from '@looptape/recording';
import { events, fixture, killAll, looptape, ofKind, removeTemps, replay, tempDir, type Finished } from './support/looptape.js';

const PROGRAM = fixture('nondet.mjs');
let run: Finished;
let printed: Array<{ source: string; value: unknown }>;
let recorded: Nondet[];

beforeAll(async () => {
  const out = path.join(tempDir(), 'nondet.tape');
  run = await looptape(['record', '--out', out, '--', process.execPath, PROGRAM]);
  printed = run.out.trim().split('\n').map((l) => JSON.parse(l) as { source: string; value: unknown });
  recorded = ofKind(await events(out), 'nondet');
});

afterAll(() => {
  killAll();
  removeTemps();
});

/** Lines of the fixture that print a draw, in order: `show('SOURCE', …)`. */
function drawLines(): number[] {
  return fs.readFileSync(PROGRAM, 'utf8').split('\n').flatMap((l, i) => (l.startsWith('show(') ? [i + 1] : []));
}

describe('recording nondeterminism', () => {
  it('runs the program to its end', () => {
    expect(run.code, run.err).toBe(0);
    expect(printed.map((p) => p.source)).toEqual([
      'Date.now', 'new Date', 'performance.now', 'process.hrtime', 'process.hrtime.bigint', 'Math.random',
      'crypto.randomUUID', 'crypto.randomUUID', 'crypto.randomBytes', 'crypto.getRandomValues',
      'crypto.randomUUID', 'crypto.randomBytes', 'crypto.getRandomValues', 'performance.now', 'process.hrtime.bigint',
      'crypto.randomBytes',
    ]);
  });

  it('records the synchronous draws, through globals and named imports, with the values the program printed', () => {
    const sync = printed.slice(0, -1);
    expect(recorded.slice(0, sync.length).map((e) => ({ source: e.source, value: e.value }))).toEqual(sync);
  });

  it('points each synchronous draw at the line of the program that made it', () => {
    const linesOfDraws = drawLines().slice(0, -1);
    const sites = recorded.slice(0, linesOfDraws.length).map((e) => /nondet\.mjs:(\d+):\d+$/.exec(e.site ?? '')?.[1]);
    expect(sites).toEqual(linesOfDraws.map(String));
  });

  it('records the bytes handed to the callback of randomBytes(size, callback)', () => {
    const last = printed.at(-1)!;
    expect(last.source).toBe('crypto.randomBytes');
    expect(recorded.filter((e) => e.source === 'crypto.randomBytes').map((e) => e.value)).toContain(last.value);
  });

  it('records no draw the program did not make (HTTP server dates, fetch internals)', () => {
    const drawn = printed.map((p) => JSON.stringify(p));
    const extra = recorded.map((e) => JSON.stringify({ source: e.source, value: e.value })).filter((d) => !drawn.includes(d));
    expect(extra).toEqual([]);
  });
});

describe('crypto.randomInt and randomFill', () => {
  it('records randomInt (sync and callback), randomFillSync and randomFill as nondet with the values the program printed, and replay hands them back', async () => {
    const out = path.join(tempDir(), 'random.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('crypto-random.mjs')]);
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
    const out = path.join(tempDir(), 'date.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('date-identity.mjs')]);
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
