import type { HttpRequest, LoopEvent } from '@looptape/recording';
import { leftWaiting, undelivered, type Divergence } from './divergence.js';
import { inboundKey, isNetKey, Occurrences } from './keys.js';
import type { Outbound } from './outbound.js';
import type { Delivery } from './schedule.js';
import type { VirtualNet } from './virtual-net.js';
import type { VirtualSockets } from './virtual-sockets.js';
import type { VirtualTimers } from './virtual-timers.js';

/** Makes one delivery of a schedule happen in the replayed program's world. */
export class RecordedWorld {
  private readonly inbound = new Map<string, HttpRequest>();

  constructor(events: readonly LoopEvent[], private readonly timers: VirtualTimers, private readonly outbound: Outbound, private readonly net: VirtualNet, private readonly sockets: VirtualSockets) {
    const occurrences = new Occurrences();
    for (const e of events) if (e.kind === 'http.request' && e.direction === 'in') this.inbound.set(`${inboundKey(e)}#${occurrences.next(inboundKey(e))}`, e);
  }

  /** Waits (at most `ms`) until the program can take an inbound request: it may still be loading. */
  async ready(d: Delivery, ms: number, wait: (ms: number) => Promise<void>): Promise<void> {
    const request = d.kind === 'request' ? this.inbound.get(`${d.key}#${d.occurrence}`) : undefined;
    if (request) await this.net.whenListening(request, ms, wait);
  }

  /** Hands the delivery to the program now; a divergence when the program is not ready for it. */
  deliver(d: Delivery): Divergence | undefined {
    const id = `${d.key}#${d.occurrence}`;
    switch (d.kind) {
      case 'timer': {
        const vt = d.timer !== undefined ? this.timers.find(d.key, d.timer) : this.timers.pending().find((t) => t.key === d.key);
        if (!vt) return undelivered(d, `the program has no ${d.key} timer pending`);
        this.timers.fire(vt);
        return undefined;
      }
      case 'response': {
        const waiting = this.outbound.pending();
        return this.outbound.deliver(d.key, d.occurrence) ? undefined : undelivered(d, `the program has not sent that request${waiting.length ? ` (waiting: ${waiting.join(', ')})` : ''}`);
      }
      case 'connect':
        if (!isNetKey(d.key)) return this.outbound.connect('connect', d.key, d.occurrence) ? undefined : undelivered(d, 'the program has no call of that request whose socket is connecting');
        return this.sockets.deliver(d.kind, d.key, d.occurrence) ? undefined : undelivered(d, `the program has no connection ready for it`);
      case 'secure':
        return this.outbound.connect('secure', d.key, d.occurrence) ? undefined : undelivered(d, 'the program has no call of that request in its TLS handshake');
      case 'data':
      case 'close':
        return this.sockets.deliver(d.kind, d.key, d.occurrence) ? undefined : undelivered(d, `the program has no connection ready for it`);
      case 'error':
        if (isNetKey(d.key)) return this.sockets.deliver('error', d.key, d.occurrence) ? undefined : undelivered(d, 'the program has no such connection');
        if (d.fault === 'error') return this.outbound.deliver(d.key, d.occurrence, 'reset') ? undefined : undelivered(d, 'the program has no such request going');
        return this.outbound.deliverError(d.key, d.occurrence) ? undefined : undelivered(d, 'the program has no such request going');
      case 'body':
        return this.outbound.deliverChunk(d.key, d.occurrence, d.chunk ?? 1) ? undefined : undelivered(d, 'that response was never delivered');
      case 'request': {
        // A retry (a fault): the client sends a recorded request again.
        const request = this.inbound.get(id) ?? (d.retryOf !== undefined ? this.inbound.get(`${d.key}#${d.retryOf}`) : undefined);
        if (!request) return undelivered(d, 'the recording has no such inbound request');
        return this.net.inject(id, request) ? undefined : undelivered(d, `the program is not listening${request.port ? ` on port ${request.port}` : ''}`);
      }
      case 'abort':
        return this.net.abort(id) ? undefined : undelivered(d, 'that request was never delivered');
      case 'signal':
        process.kill(process.pid, d.key);
        return undefined;
      default:
        return undelivered(d, 'unknown delivery kind');
    }
  }

  /** At the end: answers the program was still waiting for (a schedule that left them out). */
  leftWaiting(): Divergence | undefined {
    return leftWaiting(this.outbound.pending());
  }
}
