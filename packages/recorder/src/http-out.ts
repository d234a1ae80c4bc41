import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { encodeBody, type Headers } from '@looptape/recording';
import { ByteCollector } from './chunks.js';
import { fromFetchHeaders, fromOutgoing, fromRawHeaders } from './headers.js';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callerInfo } from './stack.js';

type AnyFn = (...args: any[]) => any;

/** Exchange ids are shared by inbound and outbound HTTP, so one id names one exchange. */
export interface ExchangeIds {
  next(): number;
}

/**
 * Records the program's outbound HTTP exactly as the program sees it: at the public API
 * (fetch, http/https request and get), so errors, aborts and raw (compressed) bytes are seen
 * too. Bodies are read from clones or taps in the background: the program is never made to wait.
 */
export function installHttpOut(session: Session, patches: Patches, ids: ExchangeIds): void {
  patches.replace(globalThis, 'fetch', (original) => {
    const fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (session.ownDepth > 0) return original.call(this, input, init);
      const hasBody = init?.body != null || (input instanceof Request && input.body !== null);
      let request: FetchHead | Request;
      try {
        // Without a body, the head is read from the arguments, which go to fetch untouched;
        // a body is read from a clone of a Request made from them.
        request = hasBody ? new Request(input, init) : headOf(input, init);
      } catch {
        return original.call(this, input, init);
      }
      const caller = callerInfo(fetch, 4);
      const send = request instanceof Request ? () => original.call(this, request as Request) : () => original.call(this, input, init);
      return observeFetch(session, ids.next(), request, caller.site, send);
    };
    return fetch as typeof globalThis.fetch;
  });
  for (const mod of [http, https]) {
    for (const name of ['request', 'get'] as const) {
      patches.replace(mod, name, (original) => {
        const wrapper = function (this: unknown, ...args: unknown[]) {
          const req = (original as AnyFn).apply(this, args) as http.ClientRequest;
          if (session.ownDepth === 0) observeClientRequest(session, ids.next(), req, mod === https, callerInfo(wrapper, 4).site);
          return req;
        };
        return wrapper as typeof original;
      });
    }
  }
  syncBuiltinESMExports();
}

/** What a fetch call asks for, read as `new Request()` would read it. */
interface FetchHead {
  method: string;
  url: string;
  headers: globalThis.Headers;
}

/** The methods Fetch writes in capitals whatever their case (PATCH is not one of them). */
const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function headOf(input: RequestInfo | URL, init: RequestInit | undefined): FetchHead {
  const fromRequest = input instanceof Request ? input : undefined;
  const method = init?.method ?? fromRequest?.method ?? 'GET';
  return {
    method: STANDARD_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : method,
    url: fromRequest ? fromRequest.url : new URL(String(input)).href,
    headers: new Headers(init?.headers ?? fromRequest?.headers),
  };
}

function observeFetch(session: Session, exchange: number, request: FetchHead | Request, site: string | undefined, send: () => Promise<Response>): Promise<Response> {
  const sent = session.reserve();
  const headers = fromFetchHeaders(request.headers);
  const bodyCopy = request instanceof Request && request.body ? session.own(() => request.clone()) : undefined;
  void session.own(() => readAll(bodyCopy)).then((bytes) => {
    session.emitReserved({ kind: 'http.request', ...sent, process: 0, exchange, direction: 'out', method: request.method, url: request.url, headers, ...encodeBody(bytes, headers), client: 'fetch', site });
  });
  return send().then(
    (response) => {
      const head = session.reserve();
      const responseHeaders = fromFetchHeaders(response.headers);
      const copy = session.own(() => response.clone());
      const parts = new BodyParts(session, exchange, sent.scope);
      const emitHead = (bytes: Uint8Array) => session.emitReserved({
        kind: 'http.response', ...head, process: 0, exchange, direction: 'out', status: response.status, statusText: response.statusText,
        headers: responseHeaders, ...encodeBody(bytes, responseHeaders, true), bodyDecoded: 'content-encoding' in responseHeaders ? true : undefined,
      });
      void session.own(() => readChunks(copy, parts)).then(emitHead, (error: Error) => {
        // The head came, then the body failed: both are deliveries.
        emitHead(parts.end(true));
        session.emit({ kind: 'http.error', ...session.here(), scope: sent.scope, exchange, direction: 'out', message: error.message, code: errorCode(error) });
      });
      return response;
    },
    (error: Error) => {
      session.emit({ kind: 'http.error', ...session.here(), scope: sent.scope, exchange, direction: 'out', message: error.message, code: errorCode(error) });
      throw error;
    },
  );
}

/** Reads a body as it arrives, noting each chunk (a body delivered in parts is several deliveries). */
async function readChunks(body: Response, parts: BodyParts): Promise<Uint8Array> {
  if (!body.body) return new Uint8Array();
  const reader = body.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.add(value);
  }
  return parts.end();
}

/**
 * The chunks of one response body. Each chunk takes its place in the order when it arrives;
 * they are recorded as `http.body` events only when there is more than one.
 */
export class BodyParts {
  private chunks: Array<{ bytes: Buffer; at: ReturnType<Session['reserve']> }> = [];

  constructor(private readonly session: Session, private readonly exchange: number, private readonly scope: number | null) {}

  add(chunk: unknown, encoding?: BufferEncoding): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);
    if (bytes.length > 0) this.chunks.push({ bytes, at: this.session.reserve() });
  }

  /** The whole body; emits the chunks' events (and the end's, unless it failed), or gives their places back. */
  end(failed = false): Buffer {
    const many = this.chunks.length > 1;
    if (many && !failed) this.session.emit({ kind: 'http.body', ...this.session.here(), scope: this.scope, exchange: this.exchange, direction: 'out', chunk: '', end: true });
    for (const { bytes, at } of this.chunks) {
      if (!many) {
        this.session.cancel(at.seq);
        continue;
      }
      const { body, bodyEncoding } = encodeBody(bytes);
      this.session.emitReserved({ kind: 'http.body', ...at, scope: this.scope, process: 0, exchange: this.exchange, direction: 'out', chunk: body, bodyEncoding });
    }
    return Buffer.concat(this.chunks.map((c) => c.bytes));
  }
}

async function readAll(body: Request | Response | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  return new Uint8Array(await body.arrayBuffer());
}

/**
 * The error's code as a string (`ECONNREFUSED`…). A fetch that was aborted or timed out
 * rejects with a DOMException whose `code` is a legacy number (20, 23): its name
 * (`AbortError`, `TimeoutError`) is what says what happened.
 */
function errorCode(error: Error): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  if (typeof code === 'string') return code;
  return error?.name === 'AbortError' || error?.name === 'TimeoutError' ? error.name : undefined;
}

function observeClientRequest(session: Session, exchange: number, req: http.ClientRequest, secure: boolean, site: string | undefined): void {
  const body = new ByteCollector();
  const scope = session.here().scope;
  let sentSeq = 0;
  const write = req.write;
  req.write = function (this: http.ClientRequest, chunk: unknown, ...rest: unknown[]) {
    body.add(chunk, rest[0]);
    return (write as AnyFn).call(this, chunk, ...rest);
  } as typeof req.write;
  const recordSent = (chunk?: unknown, encoding?: unknown) => {
    if (sentSeq !== 0) return;
    body.add(chunk, encoding);
    const headers: Headers = fromOutgoing(req.getHeaders() as Record<string, string>);
    const host = String(req.getHeader('host') ?? req.host);
    const url = `${secure ? 'https' : 'http'}://${host}${req.path}`;
    sentSeq = session.emit({ kind: 'http.request', ...session.here(), scope, exchange, direction: 'out', method: req.method, url, headers, ...encodeBody(body.bytes(), headers), client: 'http', site });
  };
  // http.get() has already called end() when it returns.
  if (req.writableEnded) recordSent();
  const end = req.end;
  req.end = function (this: http.ClientRequest, chunk?: unknown, ...rest: unknown[]) {
    recordSent(typeof chunk === 'function' ? undefined : chunk, rest[0]);
    return (end as AnyFn).call(this, chunk, ...rest);
  } as typeof req.end;
  const emit = req.emit;
  let answered = false;
  req.emit = function (this: http.ClientRequest, event: string | symbol, ...args: unknown[]) {
    if (event === 'response') {
      answered = true;
      observeIncomingResponse(session, exchange, args[0] as http.IncomingMessage, scope);
    } else if (event === 'error' && !answered) {
      const error = args[0] as Error;
      session.emit({ kind: 'http.error', ...session.here(), scope, exchange, direction: 'out', message: error.message, code: errorCode(error) });
    }
    return (emit as AnyFn).call(this, event, ...args);
  } as typeof req.emit;
}

function observeIncomingResponse(session: Session, exchange: number, res: http.IncomingMessage, scope: number | null): void {
  const head = session.reserve();
  const headers = fromRawHeaders(res.rawHeaders);
  const parts = new BodyParts(session, exchange, scope);
  let ended = false;
  const emitHead = (failed = false) => {
    ended = true;
    const body = parts.end(failed);
    session.emitReserved({ kind: 'http.response', ...head, scope, process: 0, exchange, direction: 'out', status: res.statusCode ?? 0, statusText: res.statusMessage, headers, ...encodeBody(body, headers) });
  };
  const push = res.push;
  res.push = function (this: http.IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null) {
      if (!ended) emitHead();
    } else parts.add(chunk, encoding);
    return push.call(this, chunk, encoding);
  };
  // The connection went away before the body's end: the head and what came, then the error.
  res.once('close', () => {
    if (ended || res.complete) return;
    emitHead(true);
    session.emit({ kind: 'http.error', ...session.here(), scope, exchange, direction: 'out', message: 'aborted', code: 'ECONNRESET' });
  });
}
