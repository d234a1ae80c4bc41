import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import type { TimerApi } from '@looptape/recording';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { internalValue } from './node-symbols.js';
import { callerInfo } from './stack.js';

const kTimer = Symbol('looptape.timer');
const kDone = Symbol('looptape.timer.done');

type Handle = { [kTimer]?: number; [kDone]?: boolean; [key: symbol]: unknown };
type AnyFn = (...args: any[]) => any;

/** asyncId of a Timeout or Immediate (Node keeps it under an internal symbol). */
function resourceId(handle: object): number | undefined {
  return internalValue<number>(handle, 'asyncId');
}

/** Timer ids: one sequence per process, shared by every kind of timer. */
export function counter(): () => number {
  let n = 0;
  return () => ++n;
}

function normalizeDelay(delay: unknown): number {
  const n = Number(delay);
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.trunc(n), 2 ** 31 - 1) : 1;
}

/**
 * How the program's timers run: on Node's own while recording (NodeTimers below), on the virtual
 * clock in replay (the replayer's VirtualTimers, for timeouts and intervals). installTimers decides
 * which calls are the program's, numbers them and writes their `timer.set`; a clock writes their
 * `timer.fire` and `timer.clear` when those happen. `original` is Node's function the call replaced.
 */
export interface TimerClock {
  /** setTimeout/setInterval/setImmediate(callback, ...rest): the handle the program gets. */
  start(set: TimerSet, callback: AnyFn, rest: unknown[], original: AnyFn): object;
  /** The async id of a handle start() gave, when it is not Node's own Timeout (which says it itself). */
  resource?(handle: object): number | undefined;
  /** clearTimeout/clearInterval/clearImmediate of any handle, the program's or not. */
  stop(handle: unknown, original: AnyFn): void;
  /** timers/promises setTimeout/setImmediate(...args). */
  wait(set: TimerSet, args: unknown[], original: AnyFn): Promise<unknown>;
  /** timers/promises setInterval(...args): an iterator of its ticks. */
  ticks(set: TimerSet, args: unknown[], original: AnyFn): AsyncIterableIterator<unknown>;
}

/** One of the program's timers, as it was set. */
export interface TimerSet {
  timer: number;
  api: TimerApi;
  delay: number;
  site?: string;
}

export interface TimerOptions {
  /** Runs timeouts and intervals instead of Node (replay's virtual clock); immediates stay Node's. */
  virtual?: TimerClock;
}

/**
 * The program's timers and immediates, callbacks and `timers/promises` alike: set (delay, repeat,
 * call site), fire, clear. Timers that Node's internals set (undici's, the interceptors') and
 * looptape's own pass through untouched. `scheduler.wait` is `timers/promises` setTimeout.
 */
export function installTimers(session: Session, patches: Patches, options: TimerOptions = {}): void {
  const next = counter();
  const node = new NodeTimers(session, patches);
  const clockOf = (api: TimerApi): TimerClock => (api !== 'setImmediate' && options.virtual) || node;
  const setOf = (api: TimerApi, delay: unknown, site: string | undefined): TimerSet => ({ timer: next(), api, delay: api === 'setImmediate' ? 0 : normalizeDelay(delay), site });
  const noteSet = ({ timer, api, delay, site }: TimerSet, resource?: number) =>
    session.emit({ kind: 'timer.set', timer, api, delay, repeat: api === 'setInterval', site, resource, ...session.here() });

  const pairs = [['setTimeout', 'clearTimeout'], ['setInterval', 'clearInterval'], ['setImmediate', 'clearImmediate']] as const;
  for (const [api, clearName] of pairs) {
    const clock = clockOf(api);
    const original = globalThis[api] as AnyFn;
    const originalClear = globalThis[clearName] as AnyFn;
    const set = function (this: unknown, callback: unknown, ...rest: unknown[]) {
      if (session.ownDepth > 0 || typeof callback !== 'function') return original.call(this, callback, ...rest);
      const caller = callerInfo(set);
      if (caller.internal) return original.call(this, callback, ...rest);
      const timer = setOf(api, rest[0], caller.site);
      const handle = clock.start(timer, callback as AnyFn, rest, original);
      noteSet(timer, clock.resource?.(handle) ?? resourceId(handle));
      return handle;
    };
    const clear = (handle: unknown) => clock.stop(handle, originalClear);
    for (const target of [globalThis, timers] as Record<string, unknown>[]) {
      patches.replace(target, api, () => set);
      patches.replace(target, clearName, () => clear);
    }
  }

  const promises = timersPromises as unknown as Record<string, AnyFn>;
  for (const api of ['setTimeout', 'setImmediate', 'setInterval'] as const) {
    const clock = clockOf(api);
    patches.replace(promises, api, (original) => {
      const wrapper = function (this: unknown, ...args: unknown[]) {
        if (session.ownDepth > 0) return original.apply(this, args);
        const caller = callerInfo(wrapper);
        if (caller.internal) return original.apply(this, args);
        const timer = setOf(api, args[0], caller.site);
        const started = api === 'setInterval' ? clock.ticks(timer, args, original) : clock.wait(timer, args, original);
        noteSet(timer);
        return started;
      };
      return wrapper;
    });
  }
  const { scheduler } = timersPromises as unknown as { scheduler?: { wait: AnyFn } };
  if (scheduler) patches.replace(scheduler, 'wait', () => (delay: number, options?: unknown) => timersPromises.setTimeout(delay, undefined, options as never));
}

/** Live timers by the number their handle turns into (its asyncId): clearTimeout(+handle) works too. */
const byNumber = new Map<number, Handle>();

/** The program's timers on Node's own: each fire and clear written as it happens. */
class NodeTimers implements TimerClock {
  constructor(private readonly session: Session, patches: Patches) {
    // Timeout#close() and `using` clear through Node's internal clearTimeout, not the global one.
    const Timeout = Object.getPrototypeOf(session.own(() => { const t = setTimeout(() => {}, 1); clearTimeout(t); return t; })) as Record<string | symbol, AnyFn>;
    const noteClear = (handle: unknown) => this.noteClear(handle);
    for (const key of ['close', Symbol.dispose] as const) {
      if (typeof Timeout[key] !== 'function') continue;
      patches.replace(Timeout, key, (original) => function (this: unknown) {
        noteClear(this);
        return original.call(this);
      });
    }
    // refresh() re-arms a timer, even one that has fired: it can fire (and be cleared) again.
    patches.replace(Timeout, 'refresh', (original) => function (this: Handle) {
      if (this[kTimer] !== undefined && this[kDone]) {
        this[kDone] = false;
        const resource = resourceId(this);
        if (resource !== undefined) byNumber.set(resource, this);
      }
      return original.call(this);
    });
  }

  start({ timer, api }: TimerSet, callback: AnyFn, rest: unknown[], original: AnyFn): object {
    const session = this.session;
    const repeat = api === 'setInterval';
    let resource: number | undefined;
    const handle: Handle = original(function (this: unknown, ...args: unknown[]) {
      if (!repeat) {
        handle[kDone] = true;
        byNumber.delete(resource ?? -1);
      }
      session.emit({ kind: 'timer.fire', timer, ...session.here() });
      return callback.apply(this, args);
    }, ...rest);
    handle[kTimer] = timer;
    resource = resourceId(handle);
    if (resource !== undefined && api !== 'setImmediate') byNumber.set(resource, handle);
    return handle;
  }

  stop(handle: unknown, original: AnyFn): void {
    this.noteClear(handle);
    original(handle);
  }

  private noteClear(handle: unknown): void {
    const h = (typeof handle === 'number' || typeof handle === 'string' ? byNumber.get(Number(handle)) : handle) as Handle | undefined;
    if (h && typeof h === 'object' && h[kTimer] !== undefined && !h[kDone]) {
      h[kDone] = true;
      byNumber.delete(resourceId(h) ?? -1);
      this.session.emit({ kind: 'timer.clear', timer: h[kTimer]!, ...this.session.here() });
    }
  }

  wait({ timer }: TimerSet, args: unknown[], original: AnyFn): Promise<unknown> {
    const { session } = this;
    return (original(...args) as Promise<unknown>).then(
      (value) => {
        session.emit({ kind: 'timer.fire', timer, ...session.here() });
        return value;
      },
      (error) => {
        session.emit({ kind: 'timer.clear', timer, ...session.here() });
        throw error;
      },
    );
  }

  ticks({ timer }: TimerSet, args: unknown[], original: AnyFn): AsyncIterableIterator<unknown> {
    const { session } = this;
    const iterator: AsyncIterableIterator<unknown> = original(...args);
    let cleared = false;
    const clear = () => {
      if (!cleared) session.emit({ kind: 'timer.clear', timer, ...session.here() });
      cleared = true;
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => iterator.next().then((result) => {
        if (result.done) clear();
        else session.emit({ kind: 'timer.fire', timer, ...session.here() });
        return result;
      }, (error: unknown) => {
        clear();
        throw error;
      }),
      return: (value?: unknown) => {
        clear();
        return iterator.return ? iterator.return(value) : Promise.resolve({ value, done: true });
      },
    };
  }
}
