/**
 * The preload started by hand, as its header documents: `LOOPTAPE_OUT=FILE node --import
 * <recorder>/register.js app.mjs` records app.mjs into FILE, which `looptape events` reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REGISTER_ENTRY } from '@looptape/recorder';
import { events, fixture, killAll, node, ofKind, removeTemps, tempDir } from './support/looptape.js';

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
