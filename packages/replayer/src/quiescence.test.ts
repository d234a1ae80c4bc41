import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Patches } from '@looptape/recorder/capture';
import { Quiescence } from './quiescence.js';

const self = fileURLToPath(import.meta.url);
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/**
 * A quiescence watcher with no recorded activity of its own, giving up after 1 s, or after
 * `maxWaitMs` for tests whose work takes its time on a loaded machine (giving up there would
 * be quiet: false, a failure that says nothing about quiescence).
 */
function install(q: Quiescence): void {
  const patches = new Patches();
  q.install(patches);
  restore = () => void patches.restoreAll();
}

function watcher(maxWaitMs = 1000): Quiescence {
  const q = new Quiescence(() => 0, { maxWaitMs });
  install(q);
  return q;
}

describe('Quiescence', () => {
  it('is quiet at once when nothing is in flight', async () => {
    const started = performance.now();
    expect(await watcher().wait()).toEqual({ quiet: true });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('waits for Web Crypto work (crypto.subtle), whose jobs Node 24 runs without the state it reads', async () => {
    const q = watcher(30_000);
    const log: string[] = [];
    const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode('pw'), 'PBKDF2', false, ['deriveBits']);
    void globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', salt: new Uint8Array(16), iterations: 200_000, hash: 'SHA-256' }, key, 256).then(() => log.push('derived'));
    expect(await q.wait()).toEqual({ quiet: true });
    expect(log).toEqual(['derived']);
  });

  it('waits for fs, zlib and crypto callbacks, and what they start', async () => {
    const q = watcher(30_000);
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
    const q = watcher(30_000);
    // 4 MB that barely compresses (an LCG's bytes): hundreds of 16 KB output chunks, one
    // callback each, with thread-pool work between them.
    const big = Buffer.alloc(4 << 20);
    for (let i = 0, x = 1; i < big.length; i++) big[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    let done = false;
    zlib.gzip(big, { level: 9 }, () => (done = true));
    expect(await q.wait()).toEqual({ quiet: true });
    expect(done).toBe(true);
  });

  it('keeps watching a zlib stream between its writes, and waits for each of them', async () => {
    const q = watcher(30_000);
    const gunzip = zlib.createGunzip();
    const out: Buffer[] = [];
    gunzip.on('data', (d: Buffer) => out.push(d));
    const packed = zlib.gzipSync(Buffer.alloc(1 << 20, 'looptape '));
    const half = packed.length >> 1;
    // The first half, decompressed, then a wait with the stream idle but open.
    gunzip.write(packed.subarray(0, half));
    expect(await q.wait()).toEqual({ quiet: true });
    const first = Buffer.concat(out).length;
    expect(first).toBeGreaterThan(0);
    // The second half, written on another turn: its thread-pool work is waited for too.
    let ended = false;
    gunzip.on('end', () => (ended = true));
    setImmediate(() => gunzip.end(packed.subarray(half)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await q.wait()).toEqual({ quiet: true });
    expect(Buffer.concat(out).length).toBe(1 << 20);
    expect(ended).toBe(true);
  });

  it('lets go of a zlib stream that failed (it closes with its buffer still held)', async () => {
    const q = watcher(3000);
    let failed = '';
    zlib.createGunzip().on('error', (error: NodeJS.ErrnoException) => (failed = error.code ?? error.message)).end(Buffer.from('not gzip at all'));
    const started = performance.now();
    expect(await q.wait()).toEqual({ quiet: true });
    expect(failed).toBe('Z_DATA_ERROR');
    expect(performance.now() - started).toBeLessThan(2000);
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
    install(q);
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
