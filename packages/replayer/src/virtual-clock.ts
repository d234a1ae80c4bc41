import type { Patches } from '@looptape/recorder/capture';

/**
 * The clock readings replay answers from the virtual clock, under the recorder's draws (which
 * hand out recorded values in strict replay, and these under another schedule): performance's
 * now, timeOrigin and eventLoopUtilization, process.hrtime and hrtime.bigint. They are patched
 * on Node's own objects, never by putting a fake in the global's place: `performance` from
 * `node:perf_hooks` (Fastify's logger) is the object the global had, and must see them too.
 * Date is left to the recorder's wrapper, which asks the tape or the clock for each reading.
 *
 * @param virtualNow milliseconds since the recording started, on the virtual clock
 * @param epochMs when the recording started (ms since the epoch): the virtual timeOrigin
 */
export function installVirtualClock(patches: Patches, virtualNow: () => number, epochMs: number): void {
  const perf = globalThis.performance;
  patches.replace(perf, 'now', () => () => virtualNow());
  Object.defineProperty(perf, 'timeOrigin', { get: () => epochMs, configurable: true, enumerable: true });
  patches.add(() => delete (perf as { timeOrigin?: number }).timeOrigin);
  // CPU work does not move the virtual clock: the loop was idle all the virtual time.
  // (eventLoopUtilization is Node's, not in the DOM's Performance type.)
  type Utilization = { idle: number; active: number; utilization: number };
  const nodePerf = perf as unknown as { eventLoopUtilization: (u1?: Utilization, u2?: Utilization) => Utilization };
  patches.replace(nodePerf, 'eventLoopUtilization', (original) => (u1?: Utilization, u2?: Utilization) => {
    if (u1 && u2) return original.call(perf, u1, u2);
    const idle = virtualNow();
    if (!u1) return { idle, active: 0, utilization: 0 };
    return { idle: idle - u1.idle, active: -u1.active, utilization: 0 };
  });

  const ns = () => BigInt(Math.round(virtualNow() * 1e6));
  // Called without an argument only: the recorder's wrapper above it takes differences itself.
  patches.replace(process, 'hrtime', () => {
    const hrtime = (() => {
      const now = ns();
      return [Number(now / 1_000_000_000n), Number(now % 1_000_000_000n)];
    }) as typeof process.hrtime;
    hrtime.bigint = ns;
    return hrtime;
  });
}
