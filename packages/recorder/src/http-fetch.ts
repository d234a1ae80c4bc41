import { encodeBody } from '@looptape/recording';
import { BodyParts, readAll, readChunks } from './body-parts.js';
import { fromFetchHeaders } from './headers.js';
import { errorCode } from './http-errors.js';
import type { Session } from './session.js';

/** What a fetch call asks for, read as `new Request()` would read it. */
export interface FetchHead {
  method: string;
  url: string;
  headers: globalThis.Headers;
  /** The program's signal: a call it aborted failed by the program's hand. */
  signal?: AbortSignal | null;
}

/** The methods Fetch writes in capitals whatever their case (PATCH is not one of them). */
const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

export function headOf(input: RequestInfo | URL, init: RequestInit | undefined): FetchHead {
  const fromRequest = input instanceof Request ? input : undefined;
  const method = init?.method ?? fromRequest?.method ?? 'GET';
  return {
    method: STANDARD_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : method,
    url: fromRequest ? fromRequest.url : new URL(String(input)).href,
    headers: new Headers(init?.headers ?? fromRequest?.headers),
    signal: init?.signal ?? fromRequest?.signal,
  };
}

const NO_BYTES = new Uint8Array(0);

export function observeFetch(session: Session, exchange: number, request: FetchHead | Request, site: string | undefined, send: () => Promise<Response>): Promise<Response> {
  const sent = session.reserve();
  const headers = fromFetchHeaders(request.headers);
  const bodyCopy = request instanceof Request && request.body ? session.own(() => request.clone()) : undefined;
  const sending = send();
  // What fetch made before it returned is Node's own work (see HttpRequest.callEnd).
  const callEnd = session.seq;
  const emitRequest = (bytes: Uint8Array) => {
    session.emitReserved({ kind: 'http.request', ...sent, process: 0, exchange, direction: 'out', method: request.method, url: request.url, headers, ...encodeBody(bytes, headers), client: 'fetch', callEnd, site });
  };
  if (bodyCopy) void session.own(() => readAll(bodyCopy)).then(emitRequest);
  else emitRequest(NO_BYTES);
  return sending.then(
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
      // Aborted by its signal (an AbortController, AbortSignal.timeout): the program failed it.
      const byProgram = request.signal?.aborted || undefined;
      session.emit({ kind: 'http.error', ...session.here(), scope: sent.scope, exchange, direction: 'out', message: error.message, code: errorCode(error), byProgram });
      throw error;
    },
  );
}
