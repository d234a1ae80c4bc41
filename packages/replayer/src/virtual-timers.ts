import { AsyncResource } from 'node:async_hooks';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import type { TimerApi } from '@looptape/recording';
import { callerInfo, normalizeDelay, type Patches, type Session } from '@looptape/recorder/capture';
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
  run: () => void;
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
 * setTimeout and setInterval of the program, on the virtual clock: they are recorded as the
 * recorder does (set, fire, clear) but fire only when the scheduler delivers them.
 * Callbacks keep the async context they were set in (AsyncResource.bind), as real timers do.
 * Timers set by Node's internals stay real.
 */
export class VirtualTimers {
  private readonly byId = new Map<number, VirtualTimer>();
  private readonly byKey = new Map<string, VirtualTimer[]>();

  constructor(private readonly session: Session, readonly now: () => number, private readonly nextTimer: () => number) {}

  install(patches: Patches): void {
    const realSetTimeout = globalThis.setTimeout;
    const realSetInterval = globalThis.setInterval;
    const realClear = globalThis.clearTimeout;
    const make = (api: 'setTimeout' | 'setInterval', real: AnyFn) => {
      const wrapper = (callback: unknown, delay?: unknown, ...args: unknown[]) => {
        const caller = callerInfo(wrapper);
        if (typeof callback !== 'function' || this.session.ownDepth > 0 || caller.internal) return real(callback, delay, ...args);
        return this.add(api, callback as AnyFn, args, normalizeDelay(delay), caller.site).handle;
      };
      return wrapper;
    };
    const clear = (handle: unknown) => {
      if (handle instanceof VirtualTimeout || typeof handle === 'number') this.clear(handle);
      else realClear(handle as NodeJS.Timeout);
    };
    const setTimeoutV = make('setTimeout', realSetTimeout);
    const setIntervalV = make('setInterval', realSetInterval);
    for (const target of [globalThis, timers] as Record<string, unknown>[]) {
      patches.replace(target, 'setTimeout', () => setTimeoutV);
      patches.replace(target, 'setInterval', () => setIntervalV);
      patches.replace(target, 'clearTimeout', () => clear);
      patches.replace(target, 'clearInterval', () => clear);
    }
    patches.replace(timersPromises as unknown as Record<string, AnyFn>, 'setTimeout', (real) => {
      const wrapper = (delay?: number, value?: unknown, options?: { signal?: AbortSignal }) => {
        const caller = callerInfo(wrapper);
        if (this.session.ownDepth > 0 || caller.internal) return real(delay, value, options);
        return new Promise((resolve, reject) => {
          const signal = options?.signal;
          if (signal?.aborted) return reject(signal.reason);
          const vt = this.add('setTimeout', () => resolve(value), [], normalizeDelay(delay), caller.site);
          signal?.addEventListener('abort', () => {
            this.clear(vt.handle);
            reject(signal.reason);
          }, { once: true });
        });
      };
      return wrapper;
    });
    const { scheduler } = timersPromises as unknown as { scheduler?: { wait: AnyFn } };
    if (scheduler) patches.replace(scheduler, 'wait', () => (delay: number, options?: unknown) => timersPromises.setTimeout(delay, undefined, options as never));
    patches.replace(timersPromises as unknown as Record<string, AnyFn>, 'setInterval', (real) => {
      const wrapper = (delay?: number, value?: unknown, options?: { signal?: AbortSignal }) => {
        const caller = callerInfo(wrapper);
        if (this.session.ownDepth > 0 || caller.internal) return real(delay, value, options);
        return this.interval(normalizeDelay(delay), value, options?.signal, caller.site);
      };
      return wrapper;
    });
  }

  /** timers/promises setInterval on the virtual clock: an async iterator of its ticks. */
  private interval(delay: number, value: unknown, signal: AbortSignal | undefined, site: string | undefined): AsyncIterableIterator<unknown> {
    let ticks = 0;
    let waiting: { resolve: (r: IteratorResult<unknown>) => void; reject: (e: unknown) => void } | undefined;
    const vt = this.add('setInterval', () => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve({ value, done: false });
      } else ticks++;
    }, [], delay, site);
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

  private add(api: 'setTimeout' | 'setInterval', callback: AnyFn, args: unknown[], delay: number, site: string | undefined): VirtualTimer {
    const timer = this.nextTimer();
    const key = timerKey({ api, delay });
    const list = this.byKey.get(key) ?? [];
    this.byKey.set(key, list);
    const bound = AsyncResource.bind(() => callback(...args));
    const vt: VirtualTimer = {
      timer, key, set: list.length + 1, api, delay, repeat: api === 'setInterval', due: this.now() + delay,
      run: bound, cleared: false, fired: 0, refed: true, handle: undefined as unknown as VirtualTimeout, site,
    };
    vt.handle = new VirtualTimeout(vt, this);
    list.push(vt);
    this.byId.set(timer, vt);
    this.session.emit({ kind: 'timer.set', timer, api, delay, repeat: vt.repeat, site, ...this.session.here() });
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
    this.session.emit({ kind: 'timer.fire', timer: vt.timer, t: this.session.now(), task: 0, scope: null, process: 0 });
    vt.run();
  }
}
