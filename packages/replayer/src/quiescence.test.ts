import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Quiescence } from './quiescence.js';

const self = fileURLToPath(import.meta.url);
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** A quiescence watcher with no recorded activity of its own, giving up after 1 s. */
function watcher(): Quiescence {
  const q = new Quiescence(() => 0, { maxWaitMs: 1000 });
  restore = q.install();
  return q;
}

describe('Quiescence', () => {
  it('is quiet at once when nothing is in flight', async () => {
    const started = performance.now();
    expect(await watcher().wait()).toEqual({ quiet: true });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('waits for fs, zlib and crypto callbacks, and what they start', async () => {
    const q = watcher();
    const log: string[] = [];
    fs.readFile(self, () => {
      log.push('read');
      fs.stat(self, () => log.push('stat'));
    });
    zlib.gzip('x'.repeat(10_000), () => log.push('gzip'));
    crypto.pbkdf2('pw', 'salt', 20_000, 32, 'sha256', () => {
      log.push('pbkdf2');
      void fs.promises.readFile(self).then(() => log.push('promises'));
    });
    expect(await q.wait()).toEqual({ quiet: true });
    expect(log.sort()).toEqual(['gzip', 'pbkdf2', 'promises', 'read', 'stat']);
  });

  it('waits for a gzip that zlib works through in many chunks', async () => {
    const q = watcher();
    // 4 MB that barely compresses (an LCG's bytes): hundreds of 16 KB output chunks, one
    // callback each, with thread-pool work between them.
    const big = Buffer.alloc(4 << 20);
    for (let i = 0, x = 1; i < big.length; i++) big[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    let done = false;
    zlib.gzip(big, { level: 9 }, () => (done = true));
    expect(await q.wait()).toEqual({ quiet: true });
    expect(done).toBe(true);
  });

  it('is not held up by synchronous zlib and crypto calls, which are finished when they return', async () => {
    const q = watcher();
    zlib.gzipSync('sync');
    crypto.pbkdf2Sync('pw', 'salt', 10, 16, 'sha256');
    const started = performance.now();
    expect(await q.wait()).toEqual({ quiet: true });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('gives up after maxWaitMs when a loop of immediates never goes quiet', async () => {
    let activity = 0;
    const q = new Quiescence(() => activity, { maxWaitMs: 150 });
    restore = q.install();
    let spinning = true;
    const spin = () => {
      activity++;
      if (spinning) setImmediate(spin);
    };
    spin();
    const started = performance.now();
    expect(await q.wait()).toEqual({ quiet: false });
    spinning = false;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
