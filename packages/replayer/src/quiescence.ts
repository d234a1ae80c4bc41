import { createHook } from 'node:async_hooks';
import type { Restore } from '@looptape/recorder';

/** Async resources that are the program's local work: file system, compression, crypto, DNS. */
const LOCAL_WORK = new Set([
  'FSREQCALLBACK', 'FSREQPROMISE', 'FILEHANDLECLOSEREQ', 'ZLIB', 'PBKDF2REQUEST', 'RANDOMBYTESREQUEST',
  'RANDOMPRIMEREQUEST', 'CHECKPRIMEREQUEST', 'SCRYPTREQUEST', 'HKDFREQUEST', 'KEYGENREQUEST', 'KEYPAIRGENREQUEST',
  'HASHREQUEST', 'CIPHERREQUEST', 'DERIVEBITSREQUEST', 'SIGNREQUEST', 'VERIFYREQUEST', 'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP',
]);
// Immediates are not counted: a pending one runs before the quiescence check's own immediate
// (same check phase, first in first out) and shows up as activity.
// Captured when this module loads, before replay patches the globals.
const realDateNow = Date.now;
const realSetImmediate = setImmediate;
const realSetTimeout = setTimeout;
const debug = process.env.LOOPTAPE_DEBUG ? process.stderr.write.bind(process.stderr) : undefined;

export interface QuiescenceOptions {
  /** How many consecutive idle event-loop turns make the program quiet. */
  idleTurns?: number;
  /** Give up waiting after this long (a setImmediate loop never goes quiet). */
  maxWaitMs?: number;
}

/**
 * Between two deliveries the program must finish what it does by itself — microtasks,
 * immediates, file system, zlib and crypto callbacks — or the next delivery would land at a
 * point that depends on the machine's speed. Quiet means: no such work in flight, and no
 * event recorded, for a few turns of the event loop in a row.
 */
export class Quiescence {
  private readonly inFlight = new Set<number>();

  constructor(private readonly activity: () => number, private readonly options: QuiescenceOptions = {}) {}

  install(): Restore {
    const inFlight = this.inFlight;
    const hook = createHook({
      init(id, type) {
        if (LOCAL_WORK.has(type)) inFlight.add(id);
      },
      after(id) {
        inFlight.delete(id);
      },
    });
    hook.enable();
    return () => hook.disable();
  }

  async wait(): Promise<{ quiet: boolean }> {
    const idleTurns = this.options.idleTurns ?? 3;
    const deadline = realDateNow() + (this.options.maxWaitMs ?? 5000);
    let last = this.activity();
    let idle = 0;
    while (realDateNow() < deadline) {
      if (this.inFlight.size > 0) {
        await new Promise((resolve) => realSetTimeout(resolve, 1));
        idle = 0;
        last = this.activity();
        continue;
      }
      await new Promise((resolve) => realSetImmediate(resolve));
      const now = this.activity();
      if (now === last && this.inFlight.size === 0) {
        if (++idle >= idleTurns) return { quiet: true };
      } else {
        idle = 0;
        last = now;
      }
    }
    debug?.(`looptape: not quiet after ${this.options.maxWaitMs ?? 5000} ms: ${this.inFlight.size} local operations in flight, activity ${last} -> ${this.activity()}\n`);
    return { quiet: false };
  }
}
