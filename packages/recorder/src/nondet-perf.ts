import type { Take } from './nondet.js';
import type { Patches } from './patches.js';

type Utilization = { idle: number; active: number; utilization: number };
type Elu = (u1?: Utilization, u2?: Utilization) => Utilization;

/**
 * performance's readings of time: now(), timeOrigin and eventLoopUtilization(). Patched on the
 * one object both `globalThis.performance` and `node:perf_hooks` hand out (the same object on
 * Node 20, 22 and 24), so a program that imported it before the patch sees them too.
 */
export function patchPerformance(patches: Patches, take: Take): void {
  const perf = globalThis.performance;
  patches.replace(perf, 'now', (original) => {
    const now = () => take('performance.now', now, () => original.call(perf)) as number;
    return now;
  });

  // A getter on Performance.prototype (or the replay's virtual one on the object): an own getter
  // on the object shadows it.
  const own = Object.getOwnPropertyDescriptor(perf, 'timeOrigin');
  const current = own ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(perf), 'timeOrigin');
  const timeOrigin = () => take('performance.timeOrigin', timeOrigin, () => (current?.get ? current.get.call(perf) : current?.value)) as number;
  Object.defineProperty(perf, 'timeOrigin', { get: timeOrigin, configurable: true, enumerable: true });
  patches.add(() => (own ? Object.defineProperty(perf, 'timeOrigin', own) : delete (perf as { timeOrigin?: number }).timeOrigin));

  // eventLoopUtilization is Node's, not in the DOM's Performance type.
  patches.replace(perf as unknown as { eventLoopUtilization: Elu }, 'eventLoopUtilization', (original) => {
    const real = original.bind(perf);
    // Only a reading is a draw: the difference of two readings the program holds is pure.
    const eventLoopUtilization = (u1?: Utilization, u2?: Utilization): Utilization => {
      if (u1 && u2) return real(u1, u2);
      const [idle, active] = take('performance.eventLoopUtilization', eventLoopUtilization, () => {
        const r = real();
        return [r.idle, r.active];
      }) as [number, number];
      // Before the event loop starts Node answers zeros, with or without a previous reading.
      if (idle === 0 && active === 0) return { idle: 0, active: 0, utilization: 0 };
      if (!u1) return { idle, active, utilization: active / (idle + active) };
      const idleDelta = idle - u1.idle;
      const activeDelta = active - u1.active;
      return { idle: idleDelta, active: activeDelta, utilization: activeDelta / (idleDelta + activeDelta) };
    };
    return eventLoopUtilization;
  });
}
