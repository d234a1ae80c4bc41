import { createHook } from 'node:async_hooks';
import { internalValue, type Patches, type Restore } from '@looptape/recorder/capture';

/** Async resources that are the program's local work: file system, compression, crypto, DNS. */
const FS_AND_DNS = new Set(['FSREQCALLBACK', 'FSREQPROMISE', 'FILEHANDLECLOSEREQ', 'GETADDRINFOREQWRAP', 'GETNAMEINFOREQWRAP']);
const CRYPTO_JOB = /REQUEST$/;

interface LocalWork {
  type: string;
  resource: { buffer?: unknown; ondone?: unknown };
}

/**
 * What a piece of local work is doing. The hooks alone cannot tell: a zlib handle calls back
 * once per chunk of a job and lives on after it, and synchronous zlib and crypto calls
 * (gzipSync, pbkdf2Sync, randomInt…) create resources that never call back at all. Node's
 * own state does tell: a zlib handle holds `buffer` while a write is in progress, and its
 * stream lets go of it when closed; a crypto job has `ondone` only while it runs
 * asynchronously.
 */
function state(work: LocalWork): 'busy' | 'idle' | 'over' {
  if (work.type === 'ZLIB') {
    // Closed first: a stream that failed (not gzip data) closes with its buffer still held.
    if (ownerOf(work.resource)?._handle !== work.resource) return 'over';
    // Between two writes (a body decompressed chunk by chunk) the handle is idle, not over:
    // forgotten then, its next write would go unseen.
    return work.resource.buffer != null ? 'busy' : 'idle';
  }
  if (CRYPTO_JOB.test(work.type)) return typeof work.resource.ondone === 'function' ? 'busy' : 'over';
  return 'busy';
}

/** The zlib stream a handle belongs to (Node keeps it under an internal symbol). */
function ownerOf(resource: LocalWork['resource']): { _handle?: unknown } | undefined {
  return internalValue<{ _handle?: unknown }>(resource, 'owner_symbol');
}

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
  private readonly inFlight = new Map<number, LocalWork>();

  private stopped = false;

  /** Work the replay holds back for the program (file answers due before the next delivery): releases it, true when there was some. */
  held: () => boolean = () => false;

  constructor(private readonly activity: () => number, private readonly options: QuiescenceOptions = {}) {}

  /** The run is over: waiting ends at once, now and from now on. */
  stop(): void {
    this.stopped = true;
  }

  install(patches: Patches): void {
    const inFlight = this.inFlight;
    const hook = createHook({
      init(id, type, _trigger, resource) {
        if (FS_AND_DNS.has(type) || type === 'ZLIB' || CRYPTO_JOB.test(type)) inFlight.set(id, { type, resource: resource as LocalWork['resource'] });
      },
      after(id) {
        // A zlib handle calls back once per chunk: it is over when its stream closes (state()).
        if (inFlight.get(id)?.type !== 'ZLIB') inFlight.delete(id);
      },
    });
    hook.enable();
    patches.add(() => hook.disable());
    patches.add(this.watchSubtle());
  }

  /** Web Crypto calls still running (each `crypto.subtle` promise until it settles). */
  private subtleInFlight = 0;

  /**
   * Node 24 runs Web Crypto jobs without the `ondone` state() reads, so its jobs look over at
   * once (a PostgreSQL driver's SCRAM proof, computed with `crypto.subtle`, would be missed):
   * the promises `crypto.subtle` hands out say when they are done, on every version.
   */
  private watchSubtle(): Restore {
    const proto = globalThis.crypto?.subtle ? Object.getPrototypeOf(globalThis.crypto.subtle) as Record<string, unknown> : undefined;
    if (!proto) return () => {};
    const originals = new Map<string, PropertyDescriptor>();
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      const original = descriptor.value as (...args: unknown[]) => unknown;
      originals.set(name, descriptor);
      const self = this;
      Object.defineProperty(proto, name, {
        ...descriptor,
        value: function (this: unknown, ...args: unknown[]) {
          const result = original.apply(this, args);
          if (result instanceof Promise) {
            self.subtleInFlight++;
            const done = () => void self.subtleInFlight--;
            result.then(done, done);
          }
          return result;
        },
      });
    }
    return () => {
      for (const [name, descriptor] of originals) Object.defineProperty(proto, name, descriptor);
    };
  }

  /** Whether any local work is in progress; forgets work that is over (or never ran asynchronously). */
  private working(): boolean {
    let working = this.subtleInFlight > 0;
    for (const [id, work] of this.inFlight) {
      const now = state(work);
      if (now === 'busy') working = true;
      else if (now === 'over') this.inFlight.delete(id);
    }
    return working;
  }

  async wait(): Promise<{ quiet: boolean }> {
    const idleTurns = this.options.idleTurns ?? 3;
    const deadline = realDateNow() + (this.options.maxWaitMs ?? 5000);
    let last = this.activity();
    let idle = 0;
    while (realDateNow() < deadline) {
      if (this.stopped) return { quiet: false };
      if (this.working()) {
        await new Promise((resolve) => realSetTimeout(resolve, 1));
        idle = 0;
        last = this.activity();
        continue;
      }
      await new Promise((resolve) => realSetImmediate(resolve));
      const now = this.activity();
      if (now === last && !this.working() && !this.held()) {
        if (++idle >= idleTurns) return { quiet: true };
      } else {
        idle = 0;
        last = now;
      }
    }
    debug?.(`looptape: not quiet after ${this.options.maxWaitMs ?? 5000} ms: ${[...this.inFlight.values()].map((w) => w.type).join(', ') || 'no'} local work in flight, activity ${last} -> ${this.activity()}\n`);
    return { quiet: false };
  }
}
