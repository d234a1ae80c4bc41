import dc from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { encodeBody } from '@looptape/recording';
import { ByteCollector } from './chunks.js';
import { fromHeaderBlock, fromRawHeaders } from './headers.js';
import type { ExchangeIds } from './http-out.js';
import type { Patches } from './patches.js';
import { enterScope, type Session } from './session.js';

type AnyFn = (...args: any[]) => any;

interface RequestStart {
  request: http.IncomingMessage;
  response: http.ServerResponse;
}

/**
 * Records every request any node:http/https server in the process serves (Express
 * included): the request as it arrived, the response the program wrote, a client going away.
 * Each request starts a scope that the task hooks carry to everything it creates.
 * `listen` is how its servers listen, when not on Node's own sockets (replay's VirtualNet).
 */
export function installHttpIn(session: Session, patches: Patches, ids: ExchangeIds, listen?: Listen): void {
  const onStart = (message: unknown) => {
    if (session.ownDepth > 0) return;
    const { request, response } = message as RequestStart;
    const exchange = ids.next();
    enterScope(exchange);
    observeRequest(session, exchange, request);
    observeResponse(session, exchange, response);
  };
  dc.subscribe('http.server.request.start', onStart);
  patches.add(() => dc.unsubscribe('http.server.request.start', onStart));
  collectBodies(patches);
  recordListen(session, patches, listen);
}

/** Where an observed request's or response's bytes are collected (set on the object itself). */
const kBody = Symbol('looptape.body');
/** Called on an observed request when its last byte has come. */
const kEnded = Symbol('looptape.ended');
type Collected = { [kBody]?: ByteCollector; [kEnded]?: () => void };

/**
 * The bytes a request brought and a response was given, collected by one patch of each
 * prototype (not of each object: an own property per request would give Node's objects
 * shapes of their own). Only objects a request start marked are collected.
 */
function collectBodies(patches: Patches): void {
  patches.replace(http.IncomingMessage.prototype, 'push', (original) => function (this: http.IncomingMessage & Collected, chunk: unknown, encoding?: BufferEncoding) {
    const body = this[kBody];
    if (body) {
      if (chunk === null) this[kEnded]?.();
      else body.add(chunk, encoding);
    }
    return original.call(this, chunk, encoding);
  } as typeof original);
  for (const name of ['write', 'end'] as const) {
    patches.replace(http.ServerResponse.prototype, name, (original) => function (this: http.ServerResponse & Collected, ...args: unknown[]) {
      const body = this[kBody];
      if (body && !this.writableEnded) body.add(args[0], args[1]);
      return (original as AnyFn).apply(this, args);
    } as typeof original);
  }
}

const connections = new WeakMap<object, number>();
let lastConnection = 0;

/** Numbers client connections in the order they first brought a request. */
function connectionOf(socket: object | null | undefined): number | undefined {
  if (!socket) return undefined;
  let n = connections.get(socket);
  if (n === undefined) connections.set(socket, (n = ++lastConnection));
  return n;
}

function observeRequest(session: Session, exchange: number, request: http.IncomingMessage): void {
  const arrived = { ...session.reserve(), scope: exchange, process: 0 };
  const headers = fromRawHeaders(request.rawHeaders);
  const connection = connectionOf(request.socket);
  const body = new ByteCollector();
  let done = false;
  const emitRequest = () => {
    if (done) return;
    done = true;
    session.emitReserved({ kind: 'http.request', ...arrived, exchange, direction: 'in', method: request.method ?? 'GET', url: request.url ?? '/', headers, ...encodeBody(body.bytes(), headers), port: request.socket?.localPort, connection, remotePort: request.socket?.remotePort });
  };
  // A request with no body may have completed before this point.
  if (request.complete) return emitRequest();
  (request as Collected)[kBody] = body;
  (request as Collected)[kEnded] = emitRequest;
  request.once('close', emitRequest);
}

function observeResponse(session: Session, exchange: number, response: http.ServerResponse): void {
  const body = new ByteCollector();
  (response as Collected)[kBody] = body;
  let ended = false;
  response.once('finish', () => {
    ended = true;
    const headers = fromHeaderBlock((response as unknown as { _header?: string })._header);
    session.emit({ kind: 'http.response', ...session.here(), scope: exchange, exchange, direction: 'in', status: response.statusCode, statusText: response.statusMessage, headers, ...encodeBody(body.bytes(), headers) });
  });
  response.once('close', () => {
    if (!ended) session.emit({ kind: 'http.abort', ...session.here(), scope: exchange, exchange, direction: 'in' });
  });
}

let nextServer = 0;

/** An HTTP server's `listen(...args)`, done another way than Node's. */
export type Listen = (server: net.Server, args: unknown[]) => net.Server;

/**
 * The port each HTTP server listens on: replay hands the program the same one. The one patch of
 * `net.Server.prototype.listen`: in replay, `listen` makes the server listen on the virtual net.
 */
function recordListen(session: Session, patches: Patches, listen: Listen | undefined): void {
  patches.replace(net.Server.prototype, 'listen', (original) => function (this: net.Server, ...args: unknown[]) {
    if (!(this instanceof http.Server || this instanceof https.Server)) return (original as AnyFn).apply(this, args);
    if (session.ownDepth === 0) {
      const server = ++nextServer;
      this.once('listening', () => {
        const address = this.address();
        if (address && typeof address === 'object') session.emit({ kind: 'http.listen', ...session.here(), port: address.port, host: address.address, server });
      });
    }
    return listen ? listen(this, args) : (original as AnyFn).apply(this, args);
  } as typeof original);
}
