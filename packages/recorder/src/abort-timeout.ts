import type { Patches } from './patches.js';

/**
 * `AbortSignal.timeout()` on the program's own timers: Node starts its timer inside, where no
 * patch reaches, so it would fire on the real clock in replay, at another moment than when
 * recorded. Made from `setTimeout` (the patched one, looked up at each call), the timer is
 * recorded and replayed like any other; unref'd, as Node's is: it does not keep the process up.
 */
export function installAbortTimeout(patches: Patches): void {
  patches.replace(AbortSignal, 'timeout', () => function timeout(ms: number): AbortSignal {
    if (typeof ms !== 'number' || !(ms >= 0)) throw new RangeError(`The value of "delay" is out of range. It must be >= 0 && <= 4294967295. Received ${String(ms)}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    (timer as { unref?: () => void }).unref?.();
    return controller.signal;
  });
}
