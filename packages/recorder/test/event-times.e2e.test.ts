/** Event times: `t` never decreases along `seq`, across hook, clock and output events. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, fixture, killAll, looptape, removeTemps, tempDir } from './support/looptape.js';

afterAll(() => {
  killAll();
  removeTemps();
});

describe('event times', () => {
  it('never go back along seq, though promise events share a clock reading', async () => {
    const out = path.join(tempDir(), 'clock.tape');
    const run = await looptape(['record', '--tree', '--out', out, '--', process.execPath, fixture('clock-readings.mjs')]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('done 15');
    const all = await events(out);
    // Hook events are there too: the order checked is the whole stream's.
    expect(all.filter((e) => e.kind === 'task.init').length).toBeGreaterThan(600);
    const back = all.filter((e, i) => i > 0 && e.t < all[i - 1].t).map((e) => `seq ${e.seq} at t=${e.t} after t=${all[all.indexOf(e) - 1].t}`);
    expect(back).toEqual([]);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    // Time moved: the program spun 15 × 3 ms.
    expect(all.at(-1)!.t - all[0].t).toBeGreaterThanOrEqual(40);
  });
});
