import type { HttpRequest, LoopEvent } from '@looptape/recording';
import { inboundKey, Occurrences } from '../keys.js';
import type { Outbound } from '../outbound.js';
import { deliveryId, type Delivery, type Fault } from '../schedule.js';
import type { VirtualNet } from '../virtual-net.js';
import type { VirtualSockets } from '../virtual-sockets.js';
import type { VirtualTimers } from '../virtual-timers.js';
import { candidateId, type Candidate } from './strategy.js';

interface Inbound {
  id: string;
  key: string;
  occurrence: number;
  connection: string;
  request: HttpRequest;
}

export interface EnabledWorld {
  outbound: Outbound;
  timers: VirtualTimers;
  net: VirtualNet;
  sockets: VirtualSockets;
  /** `METHOD URL` of a live inbound exchange, for explanations. */
  scopeName(exchange: number | null): string | undefined;
}

/**
 * The deliveries the program could take now, within causality: an answer only to a request
 * it sent, the parts of a body in order, among pending timers only the earliest due, an inbound
 * request once the program listens and the one before it on its connection is over, a recorded
 * abort while its request is open, a signal once nothing else is left, the socket of an outbound
 * call connecting (and ending its TLS handshake) before its answer, on a raw connection its
 * connect and then its chunks in order, each once the program wrote what came before it — and
 * the faults asked for.
 */
export class Enabled {
  private readonly inbound: Inbound[] = [];
  private readonly pending: Delivery[];
  private readonly done = new Set<string>();
  private readonly timerFires = new Occurrences();
  private readonly firesSeen = new Map<string, number>();
  private readonly retries = new Map<string, number>();
  private readonly recordedCount = new Map<string, number>();

  constructor(events: readonly LoopEvent[], recorded: readonly Delivery[], private readonly world: EnabledWorld, private readonly faults: readonly Fault[]) {
    const occurrences = new Occurrences();
    for (const e of events) {
      if (e.kind !== 'http.request' || e.direction !== 'in') continue;
      const key = inboundKey(e);
      const occurrence = occurrences.next(key);
      this.recordedCount.set(key, occurrence);
      const id = `${key}#${occurrence}`;
      this.inbound.push({ id, key, occurrence, connection: e.connection !== undefined ? `c${e.connection}` : id, request: e });
    }
    this.pending = recorded.filter((d) => d.kind === 'abort' || d.kind === 'signal');
  }

  /** Marks a delivery made. */
  delivered(d: Delivery): void {
    this.done.add(deliveryId(d));
    if (d.kind === 'timer') this.firesSeen.set(d.key, this.timerFires.next(d.key));
    if (d.fault === 'retry') this.retries.set(`${d.key}#${d.retryOf}`, d.occurrence);
  }

  candidates(): Candidate[] {
    const out = [...this.answers(), ...this.requests(), ...this.aborts()];
    if (this.faults.length) out.push(...this.injected());
    const timers = this.timers(out.length > 0 || this.inbound.some((r) => !this.done.has(requestId(r))));
    if (out.length === 0 && timers.length === 0) return this.signals();
    return [...out, ...timers];
  }

  private answers(): Candidate[] {
    const { outbound } = this.world;
    const connects = outbound.nextConnects().map((c) => this.candidate({ kind: c.kind, key: c.key, occurrence: c.occurrence, t: c.t, scope: this.world.scopeName(c.scope) }));
    const answers = outbound.waitingAnswers().map((w) => this.candidate({ kind: w.kind, key: w.key, occurrence: w.occurrence, t: w.t, scope: this.world.scopeName(w.scope) }));
    const parts = outbound.nextParts().map((p) => this.candidate({ kind: p.kind, key: p.key, occurrence: p.occurrence, chunk: p.chunk, t: p.t, scope: this.world.scopeName(p.scope), ...(p.end ? { end: true } : {}) }));
    const sockets = this.world.sockets.nextParts().map((p) => this.candidate({ kind: p.kind, key: p.key, occurrence: p.occurrence, t: p.t, scope: this.world.scopeName(p.scope), ...(p.chunk ? { chunk: p.chunk, what: p.what } : {}) }));
    return [...connects, ...answers, ...parts, ...sockets];
  }

  /** The next request of each client connection, once the one before it on that connection is over. */
  private requests(): Candidate[] {
    const out: Candidate[] = [];
    const blocked = new Set<string>();
    for (const r of this.inbound) {
      if (blocked.has(r.connection)) continue;
      if (this.done.has(requestId(r))) {
        if (this.world.net.state(r.id) !== 'over') blocked.add(r.connection);
        continue;
      }
      blocked.add(r.connection);
      if (this.world.net.listening(r.request)) out.push(this.candidate({ kind: 'request', key: r.key, occurrence: r.occurrence, t: r.request.t }));
    }
    return out;
  }

  /** A recorded abort while its request is open; once the request is over it has nothing left to abort. */
  private aborts(): Candidate[] {
    return this.pending
      .filter((d) => d.kind === 'abort' && !this.done.has(deliveryId(d)) && this.world.net.state(`${d.key}#${d.occurrence}`) === 'open')
      .map((d) => this.candidate({ ...d }));
  }

  private signals(): Candidate[] {
    const next = this.pending.find((d) => d.kind === 'signal' && !this.done.has(deliveryId(d)));
    return next ? [this.candidate({ ...next })] : [];
  }

  /** Pending timers due first (several when due at one instant). Unref'd ones only while something else keeps the loop alive. */
  private timers(alive: boolean): Candidate[] {
    const pending = this.world.timers.pending();
    if (pending.length === 0) return [];
    if (!alive && !pending.some((vt) => vt.refed)) return [];
    const due = pending[0].due;
    return pending
      .filter((vt) => vt.due === due)
      .map((vt) => this.candidate({ kind: 'timer', key: vt.key, occurrence: (this.firesSeen.get(vt.key) ?? 0) + 1, timer: vt.set, t: vt.due, site: vt.site }));
  }

  /** Faults: a client going away, an outbound call reset, a request sent again. */
  private injected(): Candidate[] {
    const out: Candidate[] = [];
    for (const r of this.inbound) {
      if (!this.done.has(requestId(r))) continue;
      if (this.faults.includes('abort') && this.world.net.state(r.id) === 'open' && !this.done.has(deliveryId({ kind: 'abort', key: r.key, occurrence: r.occurrence, t: 0 }))) {
        out.push(this.candidate({ kind: 'abort', key: r.key, occurrence: r.occurrence, t: r.request.t, fault: 'abort' }));
      }
      if (this.faults.includes('retry') && !this.retries.has(r.id)) {
        const occurrence = (this.recordedCount.get(r.key) ?? 0) + [...this.retries.keys()].filter((k) => k.startsWith(`${r.key}#`)).length + 1;
        out.push(this.candidate({ kind: 'request', key: r.key, occurrence, t: r.request.t, fault: 'retry', retryOf: r.occurrence }));
      }
    }
    if (this.faults.includes('error')) {
      for (const w of this.world.outbound.waitingAnswers()) {
        if (w.kind === 'response') out.push(this.candidate({ kind: 'error', key: w.key, occurrence: w.occurrence, t: w.t, fault: 'error', scope: this.world.scopeName(w.scope) }));
      }
    }
    return out;
  }

  private candidate(d: Delivery): Candidate {
    return { delivery: d, id: candidateId(d), at: d.t };
  }
}

function requestId(r: Inbound): string {
  return deliveryId({ kind: 'request', key: r.key, occurrence: r.occurrence, t: 0 });
}
