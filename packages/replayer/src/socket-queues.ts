import type http from 'node:http';

/**
 * Calls that waited for a socket of their agent when recorded (`queued`: its `maxSockets` were
 * all in use). In replay every call gets the interceptors' socket at once; one that waited gets
 * it here instead when a call before it to the same origin ends, first come first served, as
 * Node's agent hands a freed socket to the first call waiting for one.
 */
export class SocketQueues {
  private readonly waiting = new Map<string, Array<() => void>>();

  /** A call to `origin` waits for a socket: `handOver` gives it one. */
  wait(origin: string, handOver: () => void): void {
    this.waiting.set(origin, [...(this.waiting.get(origin) ?? []), handOver]);
  }

  /**
   * A call to `origin` holds a socket until its answer ended (or it closed without one). Node's
   * agent then frees the socket on the next tick, and the call it goes to gets it on the one after.
   */
  hold(origin: string, req: http.ClientRequest): void {
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      process.nextTick(() => this.waiting.get(origin)?.shift()?.());
    };
    req.once('response', (res: http.IncomingMessage) => res.once('end', free));
    req.once('close', free);
  }
}
