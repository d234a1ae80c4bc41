/**
 * A disk that fills while a program is recorded (a real one: a 600 KB tmpfs, mounted for the
 * test; CI runs as root). The program runs on unchanged, the recording keeps what fit and reads
 * back intact, and `record` says so in one line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lines, looptape, node, removeTemps, ROOT, tempDir } from '../../recorder/test/support/looptape.js';

const program = path.join(ROOT, 'packages/cli/test/fixtures/chatty.mjs');
let disk: string;

beforeAll(() => {
  disk = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=600k', 'tmpfs', disk], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test mounts a small tmpfs and needs root: ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? error}`);
  }
});
afterAll(() => {
  spawnSync('umount', [disk]);
  removeTemps();
});

describe('record on a disk that fills up', () => {
  it('lets the program run on unchanged, keeps what fit, and says so in one line', async () => {
    const plain = await node([program]);
    expect(plain.code).toBe(0);

    const out = path.join(disk, 'chatty.tape');
    const recorded = await looptape(['record', '--out', out, '--', process.execPath, program], { timeoutMs: 60_000 });
    // The program's own output and exit, as without the recorder.
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toBe(plain.out);
    expect(lines(recorded.err)).toEqual([`looptape: stopped recording to ${out}: the disk is full; it holds what was written before, and the program runs on unrecorded`]);

    // What fit reads back intact, as a recording cut short.
    const verify = await looptape(['verify', out]);
    expect(verify.code, verify.err).toBe(0);
    const kept = Number(/intact: all (\d+) events/.exec(verify.out)?.[1]);
    expect(kept).toBeGreaterThan(1000);
    expect(verify.out).toContain('the recording was cut short');
    const events = await looptape(['events', out, '--json']);
    expect(events.code, events.err).toBe(0);
    const seqs = events.out.trim().split('\n').map((l) => JSON.parse(l).seq as number);
    expect(seqs).toHaveLength(kept);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    // The program printed 401 lines; the recording holds the first of them, in order, and not all.
    const console = (await looptape(['events', out, '--kind', 'console', '--json'])).out.trim().split('\n').map((l) => JSON.parse(l).text as string);
    expect(console.length).toBeGreaterThan(0);
    expect(console.length).toBeLessThan(401);
    expect(console).toEqual(plain.out.split(/(?<=\n)/).slice(0, console.length));
    expect(fs.statSync(out).size).toBeLessThanOrEqual(600 * 1024);
  });
});
