/**
 * The preload started by hand, as its header documents: `LOOPTAPE_OUT=FILE node --import
 * <recorder>/register.js app.mjs` records app.mjs into FILE, which `looptape events` reads.
 * An --out that cannot be written: `record` refuses at once; the preload runs the program unrecorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REGISTER_ENTRY } from '@looptape/recorder';
import { events, expectOneLooptapeLine, fixture, killAll, looptape, node, ofKind, removeTemps, tempDir } from './support/looptape.js';

afterEach(() => killAll());
afterAll(() => removeTemps());

describe('the preload without looptape record', () => {
  it('records the program into LOOPTAPE_OUT and leaves its exit code and output alone', async () => {
    const out = path.join(tempDir(), 'by-hand.tape');
    const run = await node(['--import', REGISTER_ENTRY, fixture('ending.mjs'), 'exit3'], { env: { LOOPTAPE_OUT: out } });
    expect(run.err).toBe('');
    expect(run.code).toBe(3);
    expect(run.out).toMatch(/^ready \d+\nexiting with 3\n$/);
    expect(fs.existsSync(out)).toBe(true);
    expect(ofKind(await events(out), 'process.exit').map((e) => e.code)).toEqual([3]);
  });
});

describe('an --out that cannot be written', () => {
  it('record --out /proc/x.tape exits 2 with one line and does not run the program', async () => {
    const run = await looptape(['record', '--out', '/proc/x.tape', '--', process.execPath, fixture('prints-ran.mjs')]);
    expect(run.code).toBe(2);
    expectOneLooptapeLine(run.err, /\/proc\/x\.tape/);
    expect(run.out).not.toContain('PROGRAM RAN');
    expect(fs.existsSync('/proc/x.tape')).toBe(false);
  });

  it('the preload started by hand with LOOPTAPE_OUT=/proc/y.tape still runs the program, with one "looptape: not recording" line', async () => {
    const run = await node(['--import', REGISTER_ENTRY, fixture('prints-ran.mjs')], { env: { LOOPTAPE_OUT: '/proc/y.tape' } });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('PROGRAM RAN\n');
    expectOneLooptapeLine(run.err, /^looptape: not recording/);
  });
});
