import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, NODE, record, replayJson, scratch } from './support/cli.js';

const dir = scratch('refresh');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('timeout.refresh()', () => {
  it('replays a timer re-armed after it fired, and one pushed back before it fired, as recorded', async () => {
    const tape = path.join(dir, 'refresh.tape');
    const rec = await record(tape, [NODE, path.join(FIXTURES, 'refresh.mjs')]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain('again fired 3');
    for (let i = 0; i < 3; i++) {
      const replay = await replayJson(tape);
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.result.ok).toBe(true);
      expect(replay.result.stdout).toBe(rec.stdout);
    }
  });
});
