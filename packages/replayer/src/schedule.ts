import fs from 'node:fs';
import { decodeBody, questionLabel, type LoopEvent, type TimerSet } from '@looptape/recording';
import { ReplayError } from './errors.js';
import { inboundKey, netConnections, Occurrences, outboundKey, timerKey } from './keys.js';
import { scheduleSchemaError } from './schedule-schema.js';

/**
 * `connect`, `data` and `close` are a raw client connection's (key `tcp HOST:PORT`); its
 * failure is an `error` with that key. `connect` with an exchange's key is the new socket of an
 * outbound `http`/`https` call connecting, and `secure` its TLS handshake ending.
 */
export type DeliveryKind = 'timer' | 'response' | 'body' | 'error' | 'request' | 'abort' | 'signal' | 'connect' | 'secure' | 'data' | 'close';

/** One thing the outside world hands the program. */
export interface Delivery {
  kind: DeliveryKind;
  /** Which timer, exchange or inbound request: see keys.ts. */
  key: string;
  /** The how-manieth delivery of this kind and key (from 1). */
  occurrence: number;
  /** When it was delivered in the recording (ms since start). */
  t: number;
  /** Timers: which of the timers with this key (the how-manieth set, from 1). */
  timer?: number;
  /** Body parts: which chunk of the response (from 1); raw connections: which chunk read (from 1). */
  chunk?: number;
  /** Body parts: this one is the end of the body. */
  end?: boolean;
  /**
   * Exploration only: a delivery the recording never had, injected as a fault — a client going
   * away (`abort`), an outbound call failing (`error`), a client sending a request again (`retry`).
   */
  fault?: Fault;
  /** A retried request: the recorded occurrence it repeats. */
  retryOf?: number;
  /** Where a timer was set (file:line:col), for explanations; ignored on input. */
  site?: string;
  /** The inbound request this delivery served (`METHOD URL`), for explanations; ignored on input. */
  scope?: string;
  /** A chunk read on a raw connection: what it answers (`pg "SELECT …" [42]`), for explanations; ignored on input. */
  what?: string;
}

export type Fault = 'abort' | 'error' | 'retry';

/** The ordered list of deliveries a replay follows. Plain data: printed, saved, edited, diffed. */
export interface Schedule {
  version: 1;
  deliveries: Delivery[];
}

/** The recorded schedule, with the views a reader wants: latencies, arrivals, same-instant groups. */
export interface ScheduleReport extends Schedule {
  latencies: Array<{ key: string; occurrence: number; sentT: number; answeredT: number; latencyMs: number }>;
  arrivals: Array<{ key: string; occurrence: number; t: number }>;
  /** Timer deliveries due at the same virtual instant, in their recorded order. */
  sameInstant: Array<{ dueT: number; order: string[] }>;
}

/** Builds the recorded schedule from a recording's events (in seq order). */
export function recordedSchedule(events: readonly LoopEvent[]): ScheduleReport {
  return walk(events).report;
}

/** The event (seq) at which each delivery of a recording happened, by delivery id. */
export function deliveryEvents(events: readonly LoopEvent[]): Map<string, number> {
  const { report, seqs } = walk(events);
  return new Map(report.deliveries.map((d, i) => [deliveryId(d), seqs[i]]));
}

function walk(events: readonly LoopEvent[]): { report: ScheduleReport; seqs: number[] } {
  const deliveries: Delivery[] = [];
  const seqs: number[] = [];
  const latencies: ScheduleReport['latencies'] = [];
  const arrivals: ScheduleReport['arrivals'] = [];
  const outbound = new Map<number, { key: string; occurrence: number; t: number; chunks?: number }>();
  // A socket may connect before its request is complete (and recorded): its call's key is known from all of them.
  const calls = outboundCalls(events);
  const inbound = new Map<number, { key: string; occurrence: number }>();
  const timers = new Map<number, { key: string; set: number; due: number; api: TimerSet['api']; delay: number }>();
  const sets = new Occurrences();
  const seen = new Occurrences();
  const groups = new SameInstant();
  const connections = netConnections(events);
  const reads = new Occurrences();
  /** Per connection: what the program wrote since it last read (the question a chunk answers). */
  const asking = new Map<number, Buffer[]>();
  for (const e of events) {
    const before = deliveries.length;
    switch (e.kind) {
      case 'timer.set':
        if (!e.internal) timers.set(e.timer, { key: timerKey(e), set: sets.next(`set ${timerKey(e)}`), due: e.t + e.delay, api: e.api, delay: e.delay });
        break;
      case 'timer.fire': {
        const timer = timers.get(e.timer);
        if (!timer) break;
        // An immediate between two timers: they ran in different turns of the loop.
        if (timer.api === 'setImmediate') {
          groups.interrupt();
          break;
        }
        deliveries.push({ kind: 'timer', key: timer.key, occurrence: seen.next(`timer ${timer.key}`), t: e.t, timer: timer.set });
        groups.fired(`${timer.key}#${timer.set}`, timer.due, e.t);
        if (timer.api === 'setInterval') timer.due += timer.delay;
        break;
      }
      case 'http.request':
        if (e.direction === 'out') {
          const key = outboundKey(e.method, e.url, e.body, e.bodyEncoding);
          outbound.set(e.exchange, { key, occurrence: seen.next(`out ${key}`), t: e.t });
        } else {
          const key = inboundKey(e);
          const occurrence = seen.next(`in ${key}`);
          inbound.set(e.exchange, { key, occurrence });
          deliveries.push({ kind: 'request', key, occurrence, t: e.t });
          arrivals.push({ key, occurrence, t: e.t });
        }
        break;
      case 'http.body': {
        const out = e.direction === 'out' ? outbound.get(e.exchange) : undefined;
        if (!out) break;
        out.chunks = (out.chunks ?? 0) + 1;
        deliveries.push({ kind: 'body', key: out.key, occurrence: out.occurrence, t: e.t, chunk: out.chunks, ...(e.end ? { end: true } : {}) });
        break;
      }
      case 'http.response':
      case 'http.error': {
        const out = e.direction === 'out' ? outbound.get(e.exchange) : undefined;
        // The program destroyed it: its own destroy() fails it again in replay, nothing to deliver.
        if (!out || (e.kind === 'http.error' && e.byProgram)) break;
        deliveries.push({ kind: e.kind === 'http.response' ? 'response' : 'error', key: out.key, occurrence: out.occurrence, t: e.t });
        latencies.push({ key: out.key, occurrence: out.occurrence, sentT: out.t, answeredT: e.t, latencyMs: round(e.t - out.t) });
        break;
      }
      case 'http.connect': {
        const call = calls.get(e.exchange);
        if (call) deliveries.push({ kind: e.secure ? 'secure' : 'connect', key: call.key, occurrence: call.occurrence, t: e.t });
        break;
      }
      case 'http.abort': {
        const req = e.direction === 'in' ? inbound.get(e.exchange) : undefined;
        if (req) deliveries.push({ kind: 'abort', key: req.key, occurrence: req.occurrence, t: e.t });
        break;
      }
      case 'net.write':
        asking.set(e.connection, [...(asking.get(e.connection) ?? []), decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding })]);
        break;
      case 'net.connect':
      case 'net.data':
      case 'net.close':
      case 'net.error': {
        const c = connections.get(e.connection);
        if (!c || (e.kind === 'net.close' && e.byProgram)) break;
        const kind = ({ 'net.connect': 'connect', 'net.data': 'data', 'net.close': 'close', 'net.error': 'error' } as const)[e.kind];
        const read = kind === 'data' ? { chunk: reads.next(`${c.key}#${c.occurrence}`), what: questionLabel(asking.get(e.connection) ?? []) } : {};
        if (kind !== 'connect') asking.delete(e.connection);
        deliveries.push({ kind, key: c.key, occurrence: c.occurrence, t: e.t, ...read });
        break;
      }
      case 'process.signal':
        deliveries.push({ kind: 'signal', key: e.signal, occurrence: seen.next(`signal ${e.signal}`), t: e.t });
        break;
      default:
        break;
    }
    if (deliveries.length > before && deliveries[before].kind !== 'timer') groups.interrupt();
    while (seqs.length < deliveries.length) seqs.push(e.seq);
  }
  return { report: { version: 1, deliveries, latencies, arrivals, sameInstant: groups.done() }, seqs };
}

/** The key and occurrence of every outbound call of a recording, by its exchange number. */
function outboundCalls(events: readonly LoopEvent[]): Map<number, { key: string; occurrence: number }> {
  const occurrences = new Occurrences();
  const out = new Map<number, { key: string; occurrence: number }>();
  for (const e of events) {
    if (e.kind !== 'http.request' || e.direction !== 'out') continue;
    const key = outboundKey(e.method, e.url, e.body, e.bodyEncoding);
    out.set(e.exchange, { key, occurrence: occurrences.next(key) });
  }
  return out;
}

/**
 * Timers Node ran in one pass: each was already due when the first of them fired, and
 * nothing else was delivered between them, so only the order they were set in decided
 * theirs. Two calls that set timers with one delay, read a moment apart, still group;
 * timers whose due times fell either side of the first firing do not.
 */
class SameInstant {
  private groups: ScheduleReport['sameInstant'] = [];
  private current: { dueT: number; firedT: number; order: string[] } | undefined;

  fired(timer: string, dueT: number, firedT: number): void {
    if (this.current && dueT <= this.current.firedT) {
      this.current.order.push(timer);
      return;
    }
    this.interrupt();
    this.current = { dueT: round(dueT), firedT, order: [timer] };
  }

  /** Any other delivery ends the pass. */
  interrupt(): void {
    if (this.current && this.current.order.length > 1) this.groups.push({ dueT: this.current.dueT, order: this.current.order });
    this.current = undefined;
  }

  done(): ScheduleReport['sameInstant'] {
    this.interrupt();
    return this.groups;
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Reads and checks a schedule file (the JSON `--print-schedule` prints, possibly edited). */
export function loadSchedule(path: string): Schedule {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message.replace(/\s+/g, ' ').slice(0, 80)})`;
    throw new ReplayError('BAD_SCHEDULE', `cannot read schedule ${path}: ${reason}`);
  }
  const deliveries = (data as Schedule)?.deliveries;
  if (!Array.isArray(deliveries)) throw new ReplayError('BAD_SCHEDULE', `${path} is not a schedule: it has no "deliveries" list`, 'looptape replay FILE --print-schedule prints one to start from');
  const wrong = scheduleSchemaError(data);
  if (wrong) throw new ReplayError('BAD_SCHEDULE', `${path}: ${wrong}`, 'docs/schedule.schema.json says what a schedule holds');
  for (const d of deliveries) d.t ??= 0;
  return { version: 1, deliveries };
}

/** A delivery's identity, for comparing and diffing schedules. */
export function deliveryId(d: Delivery): string {
  return `${d.kind} ${d.key} #${d.occurrence}${d.chunk ? ` chunk ${d.chunk}` : ''}`;
}
