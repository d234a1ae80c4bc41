import { describe, expect, it } from 'vitest';
import { CHECKOUT_REPORT, writeCheckout } from '../test/checkout.js';
import { FakeTtyIn, FakeTtyOut } from '../test/streams.js';
import { open, tempDir } from '../test/tape.js';
import { runInspect } from './run.js';

describe('runInspect', () => {
  it('draws on the alternate screen, adds the task tree when read, and gives the screen back on q', async () => {
    const reader = open(writeCheckout(tempDir()));
    const stdout = new FakeTtyOut(80, 24);
    const stdin = new FakeTtyIn();
    const done = runInspect({ reader, stdout: stdout as never, stdin: stdin as never, stderr: new FakeTtyOut() as never, env: { NO_COLOR: '1' }, report: Promise.resolve(CHECKOUT_REPORT) });
    // The first frame comes before the tree is read (built off the main thread), then the tree.
    for (let i = 0; i < 250 && !stdout.written.includes('outside requests'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(stdout.written.startsWith('\u001B[?1049h')).toBe(true);
    expect(stdout.written).toContain('#2 POST /checkout');
    const loading = stdout.written.indexOf('Tasks (loading…)');
    const read = stdout.written.indexOf('outside requests');
    expect(loading).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(loading);
    stdin.press('q');
    await expect(done).resolves.toBe(0);
    expect(stdout.written.endsWith('\u001B[?1049l')).toBe(true);
    reader.close();
  });
});
