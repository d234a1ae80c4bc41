import http from 'node:http';
import net from 'node:net';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { asProgramCall, callerInfo } from './stack.js';

type AnyFn = (...args: any[]) => any;

const kAsked = Symbol('looptape.socketTimeoutAsked');
const kOwn = Symbol('looptape.socketTimeout');
const kWatched = Symbol('looptape.socketTimeoutWatched');
type Socket = net.Socket & { [kOwn]?: ReturnType<typeof setTimeout>; [kWatched]?: boolean; _onTimeout(): void; [key: symbol]: unknown };
type Request = http.ClientRequest & { [kAsked]?: { msecs: number; site?: string } };

/**
 * Socket timeouts the program asks for (`socket.setTimeout`, `req.setTimeout`) on the program's
 * own timers: Node arms them inside, on its internal timer list, where no patch reaches, so in
 * replay they would fire on the real clock. Made from `setTimeout` (the patched one, looked up at
 * each call), such a timer is recorded and replayed like any other and fires in replay where it
 * fired when recorded. It sits where Node keeps the socket's own, so Node's re-arming on each
 * read and write (an idle timeout) reaches it. Timeouts Node's agent sets itself (its `timeout`,
 * a kept-alive socket's) stay Node's.
 */
export function installSocketTimeouts(_session: Session, patches: Patches): void {
  const kTimeout = Object.getOwnPropertySymbols(new net.Socket()).find((s) => s.description === 'timeout');
  if (!kTimeout) return;
  patches.replace(http.ClientRequest.prototype, 'setTimeout', (original) => function setTimeout(this: Request, msecs: number, callback?: () => void) {
    // Node arms the socket's timer later (when the socket connects): who asked is known now.
    if (typeof msecs === 'number' && msecs >= 0) this[kAsked] = { msecs, site: callerInfo(setTimeout).site };
    return original.call(this, msecs, callback);
  } as typeof original);
  patches.replace(net.Socket.prototype, 'setTimeout', (original) => function setTimeout(this: Socket, msecs: number, callback?: () => void) {
    if (this[kOwn] !== undefined) {
      clearTimeout(this[kOwn]);
      this[kOwn] = undefined;
      if (this[kTimeout] !== undefined) this[kTimeout] = null;
    }
    // Turning it off (Node does on every request a server reads) is Node's whichever the caller.
    if (typeof msecs !== 'number' || !(msecs > 0) || this.destroyed) return (original as AnyFn).call(this, msecs, callback);
    const asked = (this as { _httpMessage?: Request })._httpMessage?.[kAsked];
    const caller = callerInfo(setTimeout);
    const byProgram = !caller.internal || (asked !== undefined && asked.msecs === msecs);
    if (!byProgram) return (original as AnyFn).call(this, msecs, callback);
    if (asked?.msecs === msecs) delete (this as { _httpMessage?: Request })._httpMessage![kAsked];
    // Node's own timer off (and its checks of the arguments), then the program's in its place.
    (original as AnyFn).call(this, 0);
    (this as { timeout?: number }).timeout = msecs;
    const site = caller.internal ? asked?.site : caller.site;
    const timer = asProgramCall(site, () => globalThis.setTimeout(() => this._onTimeout(), msecs));
    (timer as { unref?: () => void }).unref?.();
    this[kOwn] = timer;
    this[kTimeout] = timer;
    if (callback !== undefined) this.once('timeout', callback);
    // Node clears its own timer when the socket is destroyed, unseen: the program's is cleared as the program's.
    if (!this[kWatched]) {
      this[kWatched] = true;
      this.once('close', () => {
        if (this[kOwn] !== undefined) clearTimeout(this[kOwn]);
        this[kOwn] = undefined;
      });
    }
    return this;
  } as typeof original);
}
