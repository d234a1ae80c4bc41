import type { Patches } from './patches.js';
import type { Session } from './session.js';

/**
 * `AbortSignal.timeout()` on the program's own timers: Node starts its timer inside, where no
 * patch reaches, so it would fire on the real clock in replay, at another moment than when
 * recorded. Made from `setTimeout` (the patched one, looked up at each call), the timer is
 * recorded and replayed like any other; unref'd, as Node's is: it does not keep the process up.
 */
export function installAbortTimeout(_session: Session, patches: Patches): void {
  patches.replace(AbortSignal, 'timeout', (original) => function timeout(ms: number): AbortSignal {
    // A delay Node refuses: Node's own throws its own error, word for word.
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= 0xffffffff)) return original.call(AbortSignal, ms);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    (timer as { unref?: () => void }).unref?.();
    return controller.signal;
  });
}
