import { AsyncResource, executionAsyncId } from 'node:async_hooks';
import type { TimerApi } from '@looptape/recording';
import { currentScope, type Session, type TimerClock, type TimerSet } from '@looptape/recorder/capture';
import { timerKey } from './keys.js';

type AnyFn = (...args: any[]) => any;

/** One of the program's timers, fired only when the scheduler says so. */
export interface VirtualTimer {
  timer: number;
  key: string;
  /** The how-manieth timer with this key (from 1). */
  set: number;
  api: TimerApi;
  delay: number;
  repeat: boolean;
  due: number;
  /** Runs the callback, as the timer's own task: its work hangs under the timer in the task tree. */
  run: () => void;
  /** The async resource the timer's fires run in (a Timeout, as a real timer's do). */
  resource: AsyncResource;
  cleared: boolean;
  fired: number;
  refed: boolean;
  handle: VirtualTimeout;
  /** Where the program set it. */
  site?: string;
}

/** What setTimeout returns in replay: Node's Timeout API over a virtual timer. */
export class VirtualTimeout {
  constructor(private readonly vt: VirtualTimer, private readonly timers: VirtualTimers) {}
  ref(): this { this.vt.refed = true; return this; }
  unref(): this { this.vt.refed = false; return this; }
  hasRef(): boolean { return this.vt.refed; }
  /** Re-arms the timer, even after it fired (as Node does): it can fire again. */
  refresh(): this {
    this.vt.due = this.timers.now() + this.vt.delay;
    if (!this.vt.cleared) this.vt.fired = 0;
    return this;
  }
  close(): this { this.timers.clear(this); return this; }
  [Symbol.toPrimitive](): number { return this.vt.timer; }
  [Symbol.dispose](): void { this.close(); }
}

/**
 * setTimeout and setInterval of the program, on the virtual clock: installTimers (the recorder's)
 * records them as it does when recording, and this clock fires them only when the scheduler
 * delivers them. Callbacks run in an async resource made where they were set, as real timers do.
 */
export class VirtualTimers implements TimerClock {
  private readonly byId = new Map<number, VirtualTimer>();
  private readonly byKey = new Map<string, VirtualTimer[]>();

  constructor(private readonly session: Session, readonly now: () => number) {}

  start(set: TimerSet, callback: AnyFn, rest: unknown[]): object {
    return this.add(set, () => callback(...rest.slice(1))).handle;
  }

  resource(handle: object): number | undefined {
    return handle instanceof VirtualTimeout ? this.byId.get(Number(handle[Symbol.toPrimitive]()))?.resource.asyncId() : undefined;
  }

  stop(handle: unknown, original: AnyFn): void {
    if (handle instanceof VirtualTimeout || typeof handle === 'number') this.clear(handle);
    else original(handle);
  }

  wait(set: TimerSet, [, value, options]: unknown[]): Promise<unknown> {
    const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
    const { session } = this;
    const waited = new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const vt = this.add(set, () => resolve(value), false);
      signal?.addEventListener('abort', () => {
        this.clear(vt.handle);
        reject(signal.reason);
      }, { once: true });
    });
    // Its fire is written where the recorder writes it: in the promise the program awaits (NodeTimers.wait).
    return waited.then((v) => {
      session.emit({ kind: 'timer.fire', timer: set.timer, ...session.here(), scope: null });
      return v;
    });
  }

  /** timers/promises setInterval on the virtual clock: an async iterator of its ticks. */
  ticks(set: TimerSet, [, value, options]: unknown[]): AsyncIterableIterator<unknown> {
    const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
    let ticks = 0;
    let waiting: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void } | undefined;
    const vt = this.add(set, () => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve({ value, done: false });
      } else ticks++;
    });
    const finish = (): IteratorResult<unknown> => {
      this.clear(vt.handle);
      waiting?.resolve({ value: undefined, done: true });
      waiting = undefined;
      return { value: undefined, done: true };
    };
    signal?.addEventListener('abort', () => {
      this.clear(vt.handle);
      waiting?.reject(signal.reason);
      waiting = undefined;
    }, { once: true });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => {
        if (signal?.aborted) return Promise.reject(signal.reason);
        if (vt.cleared) return Promise.resolve({ value: undefined, done: true });
        if (ticks > 0) {
          ticks--;
          return Promise.resolve({ value, done: false });
        }
        return new Promise((resolve, reject) => (waiting = { resolve, reject }));
      },
      return: () => Promise.resolve(finish()),
    };
  }

  private add({ timer, api, delay, site }: TimerSet, callback: () => void, writesFire = true): VirtualTimer {
    const key = timerKey({ api, delay });
    const list = this.byKey.get(key) ?? [];
    this.byKey.set(key, list);
    // One async resource per timer, of Node's type, made where the program set it: its fires run
    // in it, as a real Timeout's do, so a tree derived by replay (derived.ts) has the same shape.
    const resource = new AsyncResource('Timeout');
    const session = this.session;
    const vt: VirtualTimer = {
      timer, key, set: list.length + 1, api, delay, repeat: api === 'setInterval', due: this.now() + delay,
      run: () => resource.runInAsyncScope(() => {
        // In the timer's own task; its request scope comes from the task tree, not from the
        // recorder's marks, which a replay host's earlier runs can leave behind (explore would
        // then not follow the same order for the same seed).
        if (writesFire) session.emit({ kind: 'timer.fire', timer, ...session.here(), scope: null });
        try {
          callback();
        } catch (error) {
          // Uncaught, it is the timer's, as with a real one (lifecycle.ts reads this).
          if (error !== null && typeof error === 'object') session.escapedFrom.set(error, { task: executionAsyncId(), scope: currentScope() });
          throw error;
        }
      }),
      resource, cleared: false, fired: 0, refed: true, handle: undefined as unknown as VirtualTimeout, site,
    };
    vt.handle = new VirtualTimeout(vt, this);
    list.push(vt);
    this.byId.set(timer, vt);
    return vt;
  }

  clear(handle: VirtualTimeout | number): void {
    const id = typeof handle === 'number' ? handle : Number(handle[Symbol.toPrimitive]());
    const vt = this.byId.get(id);
    if (!vt || vt.cleared || (!vt.repeat && vt.fired > 0)) return;
    vt.cleared = true;
    this.session.emit({ kind: 'timer.clear', timer: vt.timer, ...this.session.here() });
  }

  /** The set-th timer with this key, when it can still fire. */
  find(key: string, set: number): VirtualTimer | undefined {
    const vt = this.byKey.get(key)?.[set - 1];
    return vt && this.canFire(vt) ? vt : undefined;
  }

  canFire(vt: VirtualTimer): boolean {
    return !vt.cleared && (vt.repeat || vt.fired === 0);
  }

  /** Timers that can still fire, earliest due first (then in the order they were set). */
  pending(): VirtualTimer[] {
    return [...this.byId.values()].filter((vt) => this.canFire(vt)).sort((a, b) => a.due - b.due || a.timer - b.timer);
  }

  fire(vt: VirtualTimer): void {
    vt.fired++;
    if (vt.repeat) vt.due += vt.delay;
    vt.run();
  }
}
