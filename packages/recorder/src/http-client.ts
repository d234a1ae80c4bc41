import type http from 'node:http';
import { encodeBody, type Headers } from '@looptape/recording';
import { BodyParts } from './body-parts.js';
import { ByteCollector } from './chunks.js';
import { fromOutgoing, fromRawHeaders } from './headers.js';
import { errorCode } from './http-errors.js';
import type { Session } from './session.js';
import { userFrames } from './stack.js';

type AnyFn = (...args: any[]) => any;

/** Where a request keeps its exchange number (replay finds a call's socket by it before the call is sent). */
export const EXCHANGE = Symbol.for('looptape.exchange');

export function observeClientRequest(session: Session, exchange: number, req: http.ClientRequest, secure: boolean, site: string | undefined): void {
  (req as unknown as Record<symbol, number>)[EXCHANGE] = exchange;
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
    // The agent hands out its socket while the request is made: by end() it is known whether it was kept alive.
    const reused = req.reusedSocket || undefined;
    // Still in its agent's queue: every socket it may open is in use (maxSockets).
    const queued = !req.socket && Object.values((req as unknown as { agent?: { requests?: Record<string, unknown[]> } }).agent?.requests ?? {}).some((list) => list.includes(req)) || undefined;
    sentSeq = session.emit({ kind: 'http.request', ...session.here(), scope, exchange, direction: 'out', method: req.method, url, headers, ...encodeBody(body.bytes(), headers), client: 'http', reused, queued, site });
  };
  observeConnect(session, exchange, req, scope);
  // http.get() has already called end() when it returns.
  if (req.writableEnded) recordSent();
  const end = req.end;
  req.end = function (this: http.ClientRequest, chunk?: unknown, ...rest: unknown[]) {
    recordSent(typeof chunk === 'function' ? undefined : chunk, rest[0]);
    return (end as AnyFn).call(this, chunk, ...rest);
  } as typeof req.end;
  // The program's own req.destroy() (a cancel, directly or through an AbortController it
  // aborts) fails the request from inside: its code is on the stack.
  let byProgram = false;
  let answered = false;
  const destroy = req.destroy;
  const destroyed = function (this: http.ClientRequest, ...args: unknown[]) {
    if (session.ownDepth === 0 && !answered && userFrames(destroyed, 1).length > 0) byProgram = true;
    return (destroy as AnyFn).apply(this, args);
  };
  req.destroy = destroyed as typeof req.destroy;
  const emit = req.emit;
  req.emit = function (this: http.ClientRequest, event: string | symbol, ...args: unknown[]) {
    if (event === 'response') {
      answered = true;
      observeIncomingResponse(session, exchange, args[0] as http.IncomingMessage, scope);
    } else if (event === 'error' && !answered) {
      const error = args[0] as Error;
      // ABORT_ERR: the signal the program gave the call aborted (its controller, AbortSignal.timeout).
      const aborted = (error as NodeJS.ErrnoException).code === 'ABORT_ERR';
      session.emit({ kind: 'http.error', ...session.here(), scope, exchange, direction: 'out', message: error.message, code: errorCode(error), byProgram: byProgram || aborted || undefined });
    }
    return (emit as AnyFn).call(this, event, ...args);
  } as typeof req.emit;
}

/**
 * The exchange's own new socket connecting, and finishing its TLS handshake: deliveries, each
 * at the moment it happened (a client may read the clock there: got times every phase). A
 * kept-alive socket (already connected when handed to the request) has none.
 */
function observeConnect(session: Session, exchange: number, req: http.ClientRequest, scope: number | null): void {
  req.prependOnceListener('socket', (socket) => {
    if (!socket.connecting) return;
    const emit = socket.emit;
    const seen = new Set<string>();
    socket.emit = function (this: typeof socket, event: string | symbol, ...args: unknown[]) {
      if ((event === 'connect' || event === 'secureConnect') && !seen.has(event) && session.ownDepth === 0) {
        seen.add(event);
        session.emit({ kind: 'http.connect', ...session.here(), scope, exchange, direction: 'out', ...(event === 'secureConnect' ? { secure: true } : {}) });
      }
      return (emit as AnyFn).call(this, event, ...args);
    } as typeof socket.emit;
  });
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
