/**
 * A recording cut short: the program SIGKILLed while it writes many events. `record` still
 * finalizes the file, and `events` and `ls` open it. The slowest of the recorder's files
 * (hundreds of MB written three times): CI runs it on one Node version (.ci/run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { fixture, killAll, looptape, removeTemps, sleep, startLooptape, tempDir } from './support/looptape.js';

afterEach(() => killAll());
afterAll(() => removeTemps());

/** `looptape ls DIR --json`: one object per recording. */
async function ls(dir: string): Promise<Array<{ name: string; complete: boolean; exitCode: number | null; events: number }>> {
  const run = await looptape(['ls', dir, '--json']);
  expect(run.code, run.err).toBe(0);
  return run.out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('a recording killed mid-write', () => {
  it('is finalized by record after a SIGKILL while the program writes many events: exit 137, events and ls open it, complete false (3 times)', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const dir = tempDir();
      const out = path.join(dir, `flood-${attempt}.tape`);
      const recording = startLooptape(['record', '--tree', '--out', out, '--', process.execPath, fixture('event-flood.mjs')], { timeoutMs: 90_000 });
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
