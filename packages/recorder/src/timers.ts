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
export function resourceId(handle: object): number | undefined {
  return internalValue<number>(handle, 'asyncId');
}

/** Timer ids: one sequence per process, shared by every kind of timer. */
export function counter(): () => number {
  let n = 0;
  return () => ++n;
}

export function normalizeDelay(delay: unknown): number {
  const n = Number(delay);
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.trunc(n), 2 ** 31 - 1) : 1;
}

/**
 * Records the program's timers and immediates: set (delay, repeat, call site), fire, clear.
 * Timers that Node's internals set (undici's, the interceptors') pass through unrecorded.
 */
/** Live timers by the number their handle turns into (its asyncId): clearTimeout(+handle) works too. */
const byNumber = new Map<number, Handle>();

export function installTimers(
  session: Session,
  patches: Patches,
  apis: readonly TimerApi[] = ['setTimeout', 'setInterval', 'setImmediate'],
  nextTimer: () => number = counter(),
): void {

  const wrapSet = (api: TimerApi, original: AnyFn): AnyFn => {
    const wrapper = function (this: unknown, callback: unknown, ...rest: unknown[]) {
      if (session.ownDepth > 0 || typeof callback !== 'function') return original.call(this, callback, ...rest);
      const caller = callerInfo(wrapper);
      if (caller.internal) return original.call(this, callback, ...rest);
      const timer = nextTimer();
      const repeat = api === 'setInterval';
      let handle: Handle;
      const fire = function (this: unknown, ...args: unknown[]) {
        if (!repeat) {
          handle[kDone] = true;
          byNumber.delete(resource ?? -1);
        }
        session.emit({ kind: 'timer.fire', timer, ...session.here() });
        return (callback as AnyFn).apply(this, args);
      };
      handle = original.call(this, fire, ...rest);
      handle[kTimer] = timer;
      const resource = resourceId(handle);
      if (resource !== undefined && api !== 'setImmediate') byNumber.set(resource, handle);
      const delay = api === 'setImmediate' ? 0 : normalizeDelay(rest[0]);
      session.emit({ kind: 'timer.set', timer, api, delay, repeat, site: caller.site, resource, ...session.here() });
      return handle;
    };
    return wrapper;
  };

  const noteClear = (handle: unknown) => {
    const h = (typeof handle === 'number' || typeof handle === 'string' ? byNumber.get(Number(handle)) : handle) as Handle | undefined;
    if (h && typeof h === 'object' && h[kTimer] !== undefined && !h[kDone]) {
      h[kDone] = true;
      byNumber.delete(resourceId(h) ?? -1);
      session.emit({ kind: 'timer.clear', timer: h[kTimer]!, ...session.here() });
    }
  };
  const wrapClear = (original: AnyFn): AnyFn =>
    function (this: unknown, handle: unknown) {
      noteClear(handle);
      return original.call(this, handle);
    };
  // refresh() re-arms a timer, even one that has fired: it can fire (and be cleared) again.
  const rearm = (h: Handle) => {
    if (h[kTimer] === undefined || !h[kDone]) return;
    h[kDone] = false;
    const resource = resourceId(h);
    if (resource !== undefined) byNumber.set(resource, h);
  };
  // Timeout#close() and `using` clear through Node's internal clearTimeout, not the global one.
  const Timeout = Object.getPrototypeOf(session.own(() => { const t = setTimeout(() => {}, 1); clearTimeout(t); return t; })) as Record<string | symbol, AnyFn>;
  for (const key of ['close', Symbol.dispose] as const) {
    if (typeof Timeout[key] !== 'function') continue;
    patches.replace(Timeout, key, (original) => function (this: unknown) {
      noteClear(this);
      return original.call(this);
    });
  }
  patches.replace(Timeout, 'refresh', (original) => function (this: Handle) {
    rearm(this);
    return original.call(this);
  });

  const pairs: Array<[TimerApi, 'clearTimeout' | 'clearInterval' | 'clearImmediate']> = [
    ['setTimeout', 'clearTimeout'],
    ['setInterval', 'clearInterval'],
    ['setImmediate', 'clearImmediate'],
  ];
  for (const [set, clear] of pairs.filter(([api]) => apis.includes(api))) {
    const wrappedSet = wrapSet(set, globalThis[set] as AnyFn);
    const wrappedClear = wrapClear(globalThis[clear] as AnyFn);
    for (const target of [globalThis, timers] as Record<string, unknown>[]) {
      patches.replace(target, set, () => wrappedSet);
      patches.replace(target, clear, () => wrappedClear);
    }
  }
  installPromiseTimers(session, patches, nextTimer, apis);
}

/**
 * `timers/promises`: setTimeout, setImmediate and scheduler.wait are set when called and fire
 * when their promise resolves; setInterval's async iterator fires at each tick it hands over.
 */
function installPromiseTimers(session: Session, patches: Patches, nextTimer: () => number, apis: readonly TimerApi[]): void {
  if (apis.includes('setTimeout')) {
    const { scheduler } = timersPromises as unknown as { scheduler?: { wait: AnyFn } };
    if (scheduler) patches.replace(scheduler, 'wait', () => (delay: number, options?: unknown) => timersPromises.setTimeout(delay, undefined, options as never));
  }
  if (apis.includes('setInterval')) installPromiseInterval(session, patches, nextTimer);
  for (const api of (['setTimeout', 'setImmediate'] as const).filter((a) => apis.includes(a))) {
    patches.replace(timersPromises as unknown as Record<string, AnyFn>, api, (original) => {
      const wrapper = function (this: unknown, ...args: unknown[]) {
        const caller = callerInfo(wrapper);
        if (session.ownDepth > 0 || caller.internal) return original.apply(this, args);
        const timer = nextTimer();
        const promise: Promise<unknown> = original.apply(this, args);
        const delay = api === 'setImmediate' ? 0 : normalizeDelay(args[0]);
        session.emit({ kind: 'timer.set', timer, api, delay, repeat: false, site: caller.site, ...session.here() });
        return promise.then(
          (value) => {
            session.emit({ kind: 'timer.fire', timer, ...session.here() });
            return value;
          },
          (error) => {
            session.emit({ kind: 'timer.clear', timer, ...session.here() });
            throw error;
          },
        );
      };
      return wrapper;
    });
  }
}

function installPromiseInterval(session: Session, patches: Patches, nextTimer: () => number): void {
  patches.replace(timersPromises as unknown as Record<string, AnyFn>, 'setInterval', (original) => {
    const wrapper = function (this: unknown, ...args: unknown[]) {
      const caller = callerInfo(wrapper);
      const iterator: AsyncIterableIterator<unknown> = original.apply(this, args);
      if (session.ownDepth > 0 || caller.internal) return iterator;
      const timer = nextTimer();
      session.emit({ kind: 'timer.set', timer, api: 'setInterval', delay: normalizeDelay(args[0]), repeat: true, site: caller.site, ...session.here() });
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
    };
    return wrapper;
  });
}
