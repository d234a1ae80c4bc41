/**
 * What the program writes reaches the terminal unchanged under `looptape record` (compared
 * byte for byte with a run without it), and is recorded as console events.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, fixture, killAll, looptape, node, ofKind, removeTemps, tempDir, type Finished } from './support/looptape.js';
import type { ConsoleOutput } from '@looptape/recording';

const PROGRAM = fixture('output.mjs');
let plain: Finished;
let recorded: Finished;
let consoleEvents: ConsoleOutput[];

beforeAll(async () => {
  const out = path.join(tempDir(), 'output.tape');
  [plain, recorded] = await Promise.all([
    node([PROGRAM]),
    looptape(['record', '--out', out, '--', process.execPath, PROGRAM]),
  ]);
  consoleEvents = ofKind(await events(out), 'console');
});

afterAll(() => {
  killAll();
  removeTemps();
});

describe('program output under record', () => {
  it('passes stdout through byte for byte', () => {
    expect(plain.code).toBe(0);
    expect(recorded.code).toBe(0);
    expect(plain.stdout.length).toBeGreaterThan(64 * 1024);
    expect(recorded.stdout.equals(plain.stdout)).toBe(true);
  });

  it('passes stderr through byte for byte, followed only by looptape\'s own line', () => {
    const own = recorded.stderr.subarray(plain.stderr.length).toString('utf8');
    expect(recorded.stderr.subarray(0, plain.stderr.length).equals(plain.stderr)).toBe(true);
    expect(own).toMatch(/^looptape: recorded \d+ events to .*output\.tape\n$/);
  });

  it('records every write as a console event with its stream and text, in order', () => {
    const text = (stream: string) => consoleEvents.filter((e) => e.stream === stream).map((e) => e.text).join('');
    expect(text('stdout')).toBe(plain.out);
    expect(text('stderr')).toBe(plain.err);
    expect(consoleEvents.map((e) => e.stream).slice(0, 4)).toEqual(['stdout', 'stderr', 'stdout', 'stdout']);
    expect(consoleEvents.at(-1)).toMatchObject({ stream: 'stdout', text: 'last words without newline' });
    for (let i = 1; i < consoleEvents.length; i++) expect(consoleEvents[i].seq).toBeGreaterThan(consoleEvents[i - 1].seq);
  });
});
