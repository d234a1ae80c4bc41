import { syncBuiltinESMExports } from 'node:module';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { patchEnv } from './env.js';
import { patchCrypto } from './nondet-crypto.js';
import { patchPerformance } from './nondet-perf.js';
import { callerInfo, type CallerInfo } from './stack.js';

/** A value a source of nondeterminism produced, in its native form. */
export type NondetNative = number | bigint | string | [number, number] | Uint8Array | null;

/**
 * Decides each value: the real source when recording, the recorded value in replay.
 * `real` draws from the (possibly virtual) source.
 */
export type Draw = (source: string, real: () => NondetNative) => NondetNative;

export const recordDraw: Draw = (_source, real) => real();

/** How a value is stored in a `nondet` event. */
export function encodeNondet(value: NondetNative): number | string | number[] | null {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return value as number | string | number[];
}

/** The native value back from a `nondet` event, by source. */
export function decodeNondet(source: string, value: number | string | number[] | null): NondetNative {
  switch (source) {
    case 'process.hrtime.bigint':
      return BigInt(value as string);
    case 'crypto.randomBytes':
    case 'crypto.randomFillSync':
    case 'crypto.randomFill':
    case 'crypto.getRandomValues':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    case 'process.hrtime':
    case 'performance.eventLoopUtilization':
      return value as [number, number];
    default:
      return value as number | string;
  }
}

/** Date as Node made it, before any patch (the virtual clock's Date replaces the global in replay). */
const NativeDate = Date;

/** Interceptors draw request ids from Math.random; those draws are looptape's, not the program's. */
const OWN_RANDOM_CALLERS = new Set(['createRequestId']);

/**
 * Patches every source of nondeterminism the program can reach: Date, performance (now,
 * timeOrigin, eventLoopUtilization), process.hrtime, Math.random and crypto — also through ESM
 * named imports of builtins.
 */
export function installNondet(session: Session, patches: Patches, draw: Draw): void {
  const take = (source: string, below: Function, real: () => NondetNative, known?: CallerInfo): NondetNative => {
    if (session.ownDepth > 0) return real();
    // One frame is enough: the direct caller is the program, or Node's internals (undici).
    const caller = known ?? callerInfo(below, 1);
    if (caller.internal || (caller.fn && OWN_RANDOM_CALLERS.has(caller.fn))) return real();
    const value = draw(source, real);
    session.emit({ kind: 'nondet', source, value: encodeNondet(value), site: caller.site, ...session.here() });
    return value;
  };

  patchDate(patches, take);
  patchPerformance(patches, take);
  patches.replace(process, 'hrtime', (original) => {
    const hrtime = ((previous?: [number, number]) => {
      const value = take('process.hrtime', hrtime, () => original()) as [number, number];
      if (!previous) return value;
      let s = value[0] - previous[0];
      let ns = value[1] - previous[1];
      if (ns < 0) { s -= 1; ns += 1e9; }
      return [s, ns];
    }) as typeof process.hrtime;
    const bigint = () => take('process.hrtime.bigint', bigint, () => original.bigint()) as bigint;
    hrtime.bigint = bigint;
    return hrtime;
  });
  patches.replace(Math, 'random', (original) => {
    const random = () => take('Math.random', random, original) as number;
    return random;
  });
  patchCrypto(patches, take);
  patchEnv(patches, take);
  syncBuiltinESMExports();
  patches.add(() => syncBuiltinESMExports());
}

/** Takes one draw: the recorded or real value, recorded as a `nondet` event (see installNondet). */
export type Take = (source: string, below: Function, real: () => NondetNative, known?: CallerInfo) => NondetNative;

function patchDate(patches: Patches, take: Take): void {
  patches.replace(globalThis, 'Date', (RealDate) => {
    function LoopDate(this: unknown, ...args: unknown[]): unknown {
      if (!new.target) return new RealDate(take('new Date', LoopDate, () => RealDate.now()) as number).toString();
      return Reflect.construct(RealDate, args.length === 0 ? [take('new Date', LoopDate, () => RealDate.now())] : args, new.target);
    }
    Object.setPrototypeOf(LoopDate, RealDate);
    LoopDate.prototype = RealDate.prototype;
    Object.defineProperty(LoopDate, 'name', { value: 'Date' });
    Object.defineProperty(LoopDate, 'length', { value: 7 });
    const now = () => take('Date.now', now, () => RealDate.now()) as number;
    Object.defineProperty(LoopDate, 'now', { value: now, writable: true, configurable: true });
    // `new Date().constructor === Date` must stay true for the program.
    for (const proto of new Set([RealDate.prototype, NativeDate.prototype])) {
      const constructor = Object.getOwnPropertyDescriptor(proto, 'constructor');
      if (!constructor) continue;
      Object.defineProperty(proto, 'constructor', { ...constructor, value: LoopDate });
      patches.add(() => Object.defineProperty(proto, 'constructor', constructor));
    }
    return LoopDate as unknown as DateConstructor;
  });
}
