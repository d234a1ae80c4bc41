import type net from 'node:net';
import { BatchInterceptor, getRawRequest } from '@mswjs/interceptors';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { FetchInterceptor } from '@mswjs/interceptors/fetch';
import { decodeBody, encodeBody, type HttpBody, type HttpError, type HttpRequest, type HttpResponse, type LoopEvent } from '@looptape/recording';
import { fromFetchHeaders, type Patches } from '@looptape/recorder/capture';
import { connectNow, connectsLater, headFirst, installClientSockets, socketOf } from './client-sockets.js';
import { currentScope } from '@looptape/recorder/capture';
import { nearestRequests, type Divergence } from './divergence.js';
import { Occurrences, outboundKey, splitId } from './keys.js';
import { canStream, toError, toResponse } from './responses.js';

interface RecordedExchange {
  request: HttpRequest;
  outcome?: HttpResponse | HttpError;
  /** An error after the head (the body failed): delivered into the body stream. */
  failure?: HttpError;
  /** The body's recorded parts, when it arrived in more than one. */
  chunks: HttpBody[];
  /** While its parts are being delivered: where they go. */
  stream?: ReadableStreamDefaultController<Uint8Array>;
  /** Parts handed over so far. */
  delivered?: number;
  scope?: number | null;
  /** Its new socket's connect and TLS handshake, in order, when recorded (`http.connect`). */
  connects: Array<{ stage: 'connect' | 'secure'; t: number }>;
}

/** A live call whose socket waits for its recorded connect (and handshake) to be delivered. */
interface Connecting {
  /** None when the program destroyed the call first. */
  socket?: net.Socket;
  stages: RecordedExchange['connects'];
  scope: number | null;
}

interface WaitingEntry extends Waiting {
  resolve: (fault?: 'reset') => void;
}

/**
 * What to do with a request the recording has no answer for. `strict`: report it (replay).
 * `same`: an identical request (method, URL, body) gets the answer of its nearest recorded
 * occurrence (a regression test's code may ask twice). `similar`: also a request with the same
 * method and path, whatever its query or body (exploration: a reordered run logs other values).
 * Anything else is reported; with `leave`, the run has left the recording (not a divergence).
 */
export interface OutboundPolicy {
  answer: 'strict' | 'same' | 'similar';
  onLeave?: (what: string) => void;
}

/** An answer the program is waiting for, as the scheduler sees it. */
export interface Waiting {
  key: string;
  occurrence: number;
  kind: 'response' | 'error';
  /** When the recorded answer came (ms). */
  t: number;
  /** The inbound exchange the request was made for, or null. */
  scope: number | null;
  synthesized: boolean;
}

/** The next stage of a held socket: its connect, or its TLS handshake. */
export interface NextConnect {
  key: string;
  occurrence: number;
  kind: 'connect' | 'secure';
  t: number;
  scope: number | null;
}

/** The next part of a body being delivered in parts. */
export interface NextPart {
  key: string;
  occurrence: number;
  kind: 'body' | 'error';
  chunk?: number;
  /** This part is the body's end. */
  end?: boolean;
  t: number;
  scope: number | null;
}

/**
 * The outside world for the program's outbound HTTP: every request is answered from the
 * recording (matched by method, URL and body, then occurrence) when the scheduler delivers
 * its response; nothing reaches the network — a request the recording does not have gets an
 * error and is reported.
 */
export class Outbound {
  private readonly exchanges = new Map<string, RecordedExchange[]>();
  private readonly recordedRequests: HttpRequest[] = [];
  private readonly live = new Occurrences();
  private readonly waiting = new Map<string, WaitingEntry>();
  private readonly streaming = new Map<string, RecordedExchange>();
  private readonly connecting = new Map<string, Connecting>();
  /** Requests answered with another occurrence's (or a similar request's) recorded answer. */
  synthesized = 0;

  constructor(
    recorded: readonly LoopEvent[],
    private readonly onUnrecorded: (d: Divergence) => void,
    private readonly redact: (text: string) => string = (t) => t,
    private readonly policy: OutboundPolicy = { answer: 'strict' },
  ) {
    const byExchange = new Map<number, RecordedExchange>();
    const early = new Map<number, RecordedExchange['connects']>();
    for (const e of recorded) {
      if (e.kind === 'http.request' && e.direction === 'out') {
        const exchange: RecordedExchange = { request: e, chunks: [], connects: early.get(e.exchange) ?? [] };
        byExchange.set(e.exchange, exchange);
        const key = outboundKey(e.method, e.url, e.body, e.bodyEncoding);
        this.exchanges.set(key, [...(this.exchanges.get(key) ?? []), exchange]);
        this.recordedRequests.push(e);
      } else if (e.kind === 'http.connect') {
        byExchange.get(e.exchange)?.connects.push({ stage: e.secure ? 'secure' : 'connect', t: e.t });
        // Connected before its request was complete (the request comes later in the recording).
        if (!byExchange.has(e.exchange)) early.set(e.exchange, [...(early.get(e.exchange) ?? []), { stage: e.secure ? 'secure' : 'connect', t: e.t }]);
      } else if (e.kind === 'http.body' && e.direction === 'out') {
        byExchange.get(e.exchange)?.chunks.push(e);
      } else if ((e.kind === 'http.response' || e.kind === 'http.error') && e.direction === 'out') {
        const exchange = byExchange.get(e.exchange);
        if (exchange?.outcome?.kind === 'http.response' && e.kind === 'http.error') exchange.failure = e;
        else if (exchange) exchange.outcome = e;
      }
    }
  }

  install(patches: Patches): void {
    const interceptor = new BatchInterceptor({ name: 'looptape-replay', interceptors: [new ClientRequestInterceptor(), new FetchInterceptor()] });
    interceptor.on('request', async ({ request, controller }) => {
      const bytes = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : new Uint8Array();
      const encoded = encodeBody(bytes, fromFetchHeaders(request.headers));
      const body = this.redact(encoded.body);
      const url = this.redact(request.url);
      const key = outboundKey(request.method, url, body, encoded.bodyEncoding);
      const occurrence = this.live.next(key);
      const scope = currentScope();
      // Sent, and still unanswered when the recorded process ended (a crash, an exit, a kill):
      // it is the recorded request, and it stays pending, as it was.
      const recordedOne = this.exchanges.get(key)?.[occurrence - 1];
      if (recordedOne) this.holdConnect(`${key}#${occurrence}`, request, recordedOne, scope);
      if (recordedOne && !recordedOne.outcome) return new Promise<void>(() => {});
      const found = this.match(key, occurrence, request.method, url);
      if (!found) {
        const what = `${request.method} ${url}${occurrence > 1 ? ` (occurrence ${occurrence})` : ''}`;
        if (this.policy.onLeave) this.policy.onLeave(`the program made a request the recording has no answer for: ${what}`);
        else {
          this.onUnrecorded({
            code: 'UNRECORDED_REQUEST',
            message: `the program made a request the recording does not have: ${what}`,
            actual: { kind: 'http.request', what: `${request.method} ${url}${body ? ` with body ${body.slice(0, 60)}` : ''}` },
            nearest: nearestRequests(this.recordedRequests, request.method, url, body, Object.fromEntries(request.headers)),
          });
        }
        // Left unanswered, not failed: the replay stops here, and a failure would make the
        // program print its own crash over the divergence report. It never reaches the network.
        await new Promise(() => {});
        return;
      }
      const { exchange, synthesized } = found;
      const outcome0 = exchange.outcome!;
      // The program destroys it itself, as it did when recorded: nothing comes from outside.
      if (outcome0.kind === 'http.error' && outcome0.byProgram) return new Promise<void>(() => {});
      if (synthesized) this.synthesized++;
      const fault = await new Promise<'reset' | undefined>((resolve) => {
        this.waiting.set(`${key}#${occurrence}`, { key, occurrence, kind: outcome0.kind === 'http.error' ? 'error' : 'response', t: outcome0.t, scope, synthesized, resolve });
      });
      if (fault) return controller.errorWith(toError({ code: 'ECONNRESET', message: 'socket hang up' } as HttpError, exchange.request.client));
      const outcome = outcome0;
      if (outcome.kind === 'http.error') controller.errorWith(toError(outcome, exchange.request.client));
      // A body recorded in parts (even one part, when it came after the head) is delivered part by part.
      else if ((exchange.chunks.some((c) => !c.end) || exchange.failure) && canStream(outcome)) {
        // A copy: an answer given twice (synthesized) streams twice, each with its own state.
        const live: RecordedExchange = { ...exchange, delivered: 0, scope };
        const body = new ReadableStream<Uint8Array>({
          start: (stream) => {
            live.stream = stream;
            // A body that came in one part before it failed: that part now, the failure later.
            if (exchange.chunks.length === 0 && outcome.body) stream.enqueue(new Uint8Array(decodeBody(outcome)));
          },
        });
        this.streaming.set(`${key}#${occurrence}`, live);
        controller.respondWith(headFirst(toResponse(outcome, body)));
      } else controller.respondWith(toResponse(outcome));
    });
    interceptor.apply();
    patches.add(() => interceptor.dispose());
    const connected = new Set([...this.exchanges.values()].flat().filter((x) => x.connects.length > 0).map((x) => x.request.exchange));
    installClientSockets(patches, this.recordedRequests, connected);
  }

  /**
   * The recorded exchange that answers the live request (key, occurrence): the same occurrence,
   * or under a lenient policy the nearest one of the same request, or a similar request's.
   */
  private match(key: string, occurrence: number, method: string, url: string): { exchange: RecordedExchange; synthesized: boolean } | undefined {
    const same = this.exchanges.get(key)?.filter((x) => x.outcome);
    const exact = this.exchanges.get(key)?.[occurrence - 1];
    if (exact?.outcome) return { exchange: exact, synthesized: false };
    if (this.policy.answer === 'strict') return undefined;
    if (same?.length) return { exchange: same[Math.min(occurrence, same.length) - 1], synthesized: true };
    if (this.policy.answer !== 'similar') return undefined;
    const path = pathOf(url);
    const similar = [...this.exchanges.values()].flat().find((x) => x.outcome && x.request.method === method && pathOf(x.request.url) === path);
    return similar && { exchange: similar, synthesized: true };
  }

  /**
   * A call of the program whose recorded socket connected as its own delivery: its socket
   * (the interceptors', still connecting) waits for it. A socket handed over kept alive has no connect.
   */
  private holdConnect(id: string, request: Request, exchange: RecordedExchange, scope: number | null): void {
    if (exchange.connects.length === 0 || this.connecting.has(id)) return;
    const raw = getRawRequest(request) as { socket?: net.Socket | null; destroyed?: boolean } | undefined;
    const socket = raw?.socket;
    if (connectsLater(socket)) this.connecting.set(id, { socket, stages: [...exchange.connects], scope });
    // Destroyed by the program already (in an immediate that ran, when recorded, after the
    // connect): its recorded connect comes to nobody, as it would to a closed socket.
    else if (raw?.destroyed || (socket as net.Socket | null | undefined)?.destroyed) this.connecting.set(id, { stages: [...exchange.connects], scope });
  }

  /** The connect or TLS handshake each held socket can be handed next. */
  nextConnects(): NextConnect[] {
    return [...this.connecting].map(([id, c]) => {
      const [key, occurrence] = splitId(id);
      return { key, occurrence, kind: c.stages[0].stage, t: c.stages[0].t, scope: c.scope };
    });
  }

  /**
   * A socket that connected, when recorded, before its call was sent (its request not yet
   * complete): found by the number the call got when made, which is the recorded one.
   */
  private connectingEarly(id: string, key: string, occurrence: number): Connecting | undefined {
    const recorded = this.exchanges.get(key)?.[occurrence - 1];
    const socket = recorded && socketOf(recorded.request.exchange);
    if (!recorded || !connectsLater(socket) || recorded.connects.length === 0) return undefined;
    const c: Connecting = { socket, stages: [...recorded.connects], scope: recorded.request.scope };
    this.connecting.set(id, c);
    return c;
  }

  /** The held socket of the live request (key, occurrence) connects, or ends its handshake. False when it is not waiting for that. */
  connect(stage: 'connect' | 'secure', key: string, occurrence: number): boolean {
    const id = `${key}#${occurrence}`;
    const c = this.connecting.get(id) ?? this.connectingEarly(id, key, occurrence);
    if (!c) {
      // A call the program destroyed itself (as recorded): one destroyed before it was sent is
      // not seen here at all, so the calls after it count one less. Its connect goes to nobody.
      const recorded = this.exchanges.get(key)?.[occurrence - 1];
      return recorded?.outcome?.kind === 'http.error' && recorded.outcome.byProgram === true;
    }
    if (c.stages[0].stage !== stage) return false;
    c.stages.shift();
    if (c.stages.length === 0) this.connecting.delete(id);
    if (c.socket && !c.socket.destroyed) connectNow(c.socket, stage);
    return true;
  }

  /** Answers the live request (key, occurrence) now, or fails it (an injected reset). False when the program has not made it. */
  deliver(key: string, occurrence: number, fault?: 'reset'): boolean {
    const entry = this.waiting.get(`${key}#${occurrence}`);
    if (!entry) return false;
    this.waiting.delete(`${key}#${occurrence}`);
    // Answered before its connect (another schedule): the interceptors connect it with the answer.
    this.connecting.delete(`${key}#${occurrence}`);
    entry.resolve(fault);
    return true;
  }

  /** The answers the program is waiting for now, in the order it asked: each once its socket connected, as recorded. */
  waitingAnswers(): Waiting[] {
    return [...this.waiting.values()].filter((w) => !this.connecting.has(`${w.key}#${w.occurrence}`)).map(({ resolve: _resolve, ...w }) => w);
  }

  /** The next part of each body being delivered in parts. */
  nextParts(): NextPart[] {
    const parts: NextPart[] = [];
    for (const [id, x] of this.streaming) {
      const [key, occurrence] = splitId(id);
      const next = x.delivered ?? 0;
      const chunk = x.chunks[next];
      if (chunk) parts.push({ key, occurrence, kind: 'body', chunk: next + 1, t: chunk.t, scope: x.scope ?? null, end: chunk.end || undefined });
      else if (x.failure) parts.push({ key, occurrence, kind: 'error', t: x.failure.t, scope: x.scope ?? null });
      else parts.push({ key, occurrence, kind: 'body', chunk: next + 1, t: x.outcome?.t ?? 0, scope: x.scope ?? null, end: true });
    }
    return parts;
  }

  /**
   * Hands over the next recorded part of a body being delivered in parts (closing it after
   * the last). A body delivered whole (not streamable) has nothing more to hand over.
   */
  deliverChunk(key: string, occurrence: number, chunk: number): boolean {
    const exchange = this.streaming.get(`${key}#${occurrence}`) ?? this.exchanges.get(key)?.[occurrence - 1];
    if (!exchange?.outcome) return false;
    if (!exchange.stream) return true;
    exchange.delivered = chunk;
    const part = exchange.chunks[chunk - 1];
    if (part && !part.end) exchange.stream.enqueue(new Uint8Array(decodeBody({ body: part.chunk, bodyEncoding: part.bodyEncoding })));
    // The end is its own delivery; a body that fails (exchange.failure) ends in deliverError().
    if (part?.end || (chunk >= exchange.chunks.length && !exchange.failure && !exchange.chunks.some((c) => c.end))) {
      exchange.stream.close();
      this.streaming.delete(`${key}#${occurrence}`);
    }
    return true;
  }

  /**
   * Delivers a recorded error: before the head it fails the request; after it, the body stream.
   * False when the program has no such request going.
   */
  deliverError(key: string, occurrence: number): boolean {
    if (this.waiting.has(`${key}#${occurrence}`)) return this.deliver(key, occurrence);
    const exchange = this.streaming.get(`${key}#${occurrence}`);
    if (!exchange?.stream || !exchange.failure) return false;
    exchange.stream.error(toError(exchange.failure, exchange.request.client));
    this.streaming.delete(`${key}#${occurrence}`);
    return true;
  }

  /** Live requests waiting for their answer, as `key#occurrence`. */
  pending(): string[] {
    return [...this.waiting.keys()];
  }
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0];
  }
}

