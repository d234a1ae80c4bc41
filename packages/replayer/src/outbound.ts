import { BatchInterceptor } from '@mswjs/interceptors';
import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
import { FetchInterceptor } from '@mswjs/interceptors/fetch';
import { decodeBody, encodeBody, type HttpBody, type HttpError, type HttpRequest, type HttpResponse, type LoopEvent } from '@looptape/recording';
import { fromFetchHeaders, type Restore } from '@looptape/recorder';
import { installClientSockets } from './client-sockets.js';
import { nearestRequests, type Divergence } from './divergence.js';
import { Occurrences, outboundKey } from './keys.js';
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
  private readonly waiting = new Map<string, () => void>();
  private readonly streaming = new Map<string, RecordedExchange>();

  constructor(recorded: readonly LoopEvent[], private readonly onUnrecorded: (d: Divergence) => void, private readonly redact: (text: string) => string = (t) => t) {
    const byExchange = new Map<number, RecordedExchange>();
    for (const e of recorded) {
      if (e.kind === 'http.request' && e.direction === 'out') {
        const exchange: RecordedExchange = { request: e, chunks: [] };
        byExchange.set(e.exchange, exchange);
        const key = outboundKey(e.method, e.url, e.body, e.bodyEncoding);
        this.exchanges.set(key, [...(this.exchanges.get(key) ?? []), exchange]);
        this.recordedRequests.push(e);
      } else if (e.kind === 'http.body' && e.direction === 'out') {
        byExchange.get(e.exchange)?.chunks.push(e);
      } else if ((e.kind === 'http.response' || e.kind === 'http.error') && e.direction === 'out') {
        const exchange = byExchange.get(e.exchange);
        if (exchange?.outcome?.kind === 'http.response' && e.kind === 'http.error') exchange.failure = e;
        else if (exchange) exchange.outcome = e;
      }
    }
  }

  install(): Restore {
    const interceptor = new BatchInterceptor({ name: 'looptape-replay', interceptors: [new ClientRequestInterceptor(), new FetchInterceptor()] });
    interceptor.on('request', async ({ request, controller }) => {
      const bytes = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : new Uint8Array();
      const encoded = encodeBody(bytes, fromFetchHeaders(request.headers));
      const body = this.redact(encoded.body);
      const url = this.redact(request.url);
      const key = outboundKey(request.method, url, body, encoded.bodyEncoding);
      const occurrence = this.live.next(key);
      const exchange = this.exchanges.get(key)?.[occurrence - 1];
      if (!exchange?.outcome) {
        // Sent, and still unanswered when the recorded process ended (a crash, an exit, a kill):
        // it is the recorded request, and it stays pending, as it was.
        if (exchange) return new Promise<void>(() => {});
        this.onUnrecorded({
          code: 'UNRECORDED_REQUEST',
          message: `the program made a request the recording does not have: ${request.method} ${url}${occurrence > 1 ? ` (occurrence ${occurrence})` : ''}`,
          actual: { kind: 'http.request', what: `${request.method} ${url}${body ? ` with body ${body.slice(0, 60)}` : ''}` },
          nearest: nearestRequests(this.recordedRequests, request.method, url, body),
        });
        // Left unanswered, not failed: the replay stops here, and a failure would make the
        // program print its own crash over the divergence report. It never reaches the network.
        await new Promise(() => {});
        return;
      }
      // The program destroys it itself, as it did when recorded: nothing comes from outside.
      if (exchange.outcome.kind === 'http.error' && exchange.outcome.byProgram) return new Promise<void>(() => {});
      await new Promise<void>((resolve) => this.waiting.set(`${key}#${occurrence}`, resolve));
      const outcome = exchange.outcome;
      if (outcome.kind === 'http.error') controller.errorWith(toError(outcome, exchange.request.client));
      else if ((exchange.chunks.filter((c) => !c.end).length > 1 || exchange.failure) && canStream(outcome)) {
        const body = new ReadableStream<Uint8Array>({
          start: (stream) => {
            exchange.stream = stream;
            // A body that came in one part before it failed: that part now, the failure later.
            if (exchange.chunks.length === 0 && outcome.body) stream.enqueue(new Uint8Array(decodeBody(outcome)));
          },
        });
        this.streaming.set(`${key}#${occurrence}`, exchange);
        controller.respondWith(toResponse(outcome, body));
      } else controller.respondWith(toResponse(outcome));
    });
    interceptor.apply();
    const restoreSockets = installClientSockets(this.recordedRequests);
    return () => {
      restoreSockets();
      interceptor.dispose();
    };
  }

  /** Answers the live request (key, occurrence) now. False when the program has not made it. */
  deliver(key: string, occurrence: number): boolean {
    const resolve = this.waiting.get(`${key}#${occurrence}`);
    if (!resolve) return false;
    this.waiting.delete(`${key}#${occurrence}`);
    resolve();
    return true;
  }

  /**
   * Hands over the next recorded part of a body being delivered in parts (closing it after
   * the last). A body delivered whole (not streamable) has nothing more to hand over.
   */
  deliverChunk(key: string, occurrence: number, chunk: number): boolean {
    const exchange = this.streaming.get(`${key}#${occurrence}`) ?? this.exchanges.get(key)?.[occurrence - 1];
    if (!exchange?.outcome) return false;
    if (!exchange.stream) return true;
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

