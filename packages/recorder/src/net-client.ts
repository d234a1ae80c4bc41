import net from 'node:net';
import tls from 'node:tls';
import { encodeBody, sniffProtocol, type NetProtocol } from '@looptape/recording';
import { errorCode } from './http-errors.js';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callSites, userFrames } from './stack.js';

type AnyFn = (...args: any[]) => any;

/** Stack frames of Node's HTTP clients: a socket they open is recorded as HTTP, not as raw TCP. */
const HTTP_CLIENT = /node:_http_agent|node:_http_client|node:internal\/deps\/undici/;

/** Where a client socket connects: host and port (a Unix socket's path as host, port 0). */
export interface NetTarget {
  host: string;
  port: number;
}

/** The host and port of `socket.connect(...)`'s arguments, in any of the forms Node takes. */
export function targetOf(args: unknown[]): NetTarget {
  const normalize = (net as unknown as { _normalizeArgs?: (a: unknown[]) => unknown[] })._normalizeArgs;
  const first = Array.isArray(args[0]) ? args[0][0] : normalize ? normalize(args)[0] : args[0];
  const options = (first ?? {}) as { host?: string; port?: number | string; path?: string };
  if (options.path) return { host: options.path, port: 0 };
  return { host: options.host ?? 'localhost', port: Number(options.port ?? 0) };
}

/**
 * Whether a connection goes to a server of this very process (a program that talks to its own
 * TCP server): both ends are the program's, so it is local work, not the outside world — not
 * recorded, and made for real in replay, where that server listens for real too.
 */
export function toOwnServer({ host, port }: NetTarget): boolean {
  if (port === 0 || !/^(127\.|::1$|localhost$|0\.0\.0\.0$)/.test(host)) return false;
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.some((h) => h instanceof net.Server && (h.address() as net.AddressInfo | null)?.port === port);
}

/** Whether Node's own HTTP clients (http agent, undici) are opening this socket. */
export function openedByHttpClient(): boolean {
  return callSites(undefined, 14).some((f) => HTTP_CLIENT.test(f.getFileName() ?? ''));
}

/**
 * Records the program's raw TCP and TLS client connections (database drivers, caches, any
 * protocol outside HTTP) at the byte level: the connect, each chunk read (deliveries) and
 * each chunk written (outputs), the end and errors. Every way of connecting ends in
 * `net.Socket.prototype.connect` (net.connect, new Socket().connect, tls.connect), so that is
 * where it looks; under TLS the socket's own reads and writes are the plaintext.
 */
export function installNetClients(session: Session, patches: Patches): void {
  let connections = 0;
  const observed = new WeakSet<net.Socket>();
  patches.replace(net.Socket.prototype, 'connect', (original) => function (this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    const observe = session.ownDepth === 0 && !observed.has(this) && !openedByHttpClient() && !toOwnServer(target);
    const connection = observe ? ++connections : 0;
    // connect() puts the prototype's write() back on the socket: the taps go on after it.
    const result = (original as AnyFn).apply(this, args);
    if (observe) {
      observed.add(this);
      observeSocket(session, this, connection, target);
    }
    return result;
  } as typeof original);
}

function observeSocket(session: Session, socket: net.Socket, connection: number, { host, port }: NetTarget): void {
  const opened = session.here().scope;
  /** The request whose query a chunk read answers: the one that wrote last on this connection. */
  let scope = opened;
  let protocol: NetProtocol | undefined;
  let connectAt: ReturnType<Session['reserve']> | undefined;
  let closed = false;
  let established = false;
  const tlsSocket = socket instanceof tls.TLSSocket || undefined;
  const announce = () => {
    if (!connectAt) return;
    established = true;
    session.emitReserved({ kind: 'net.connect', ...connectAt, scope: opened, process: 0, connection, host, port, protocol: protocol ?? 'tcp', tls: tlsSocket });
    connectAt = undefined;
  };
  const base = () => ({ ...session.here(), connection });
  const noteWrite = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || session.ownDepth > 0) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, (encoding as BufferEncoding) ?? 'utf8') : Buffer.from(chunk as Uint8Array);
    if (bytes.length === 0) return;
    scope = session.here().scope;
    protocol ??= sniffProtocol(bytes);
    announce();
    session.emit({ kind: 'net.write', ...base(), ...asChunk(bytes) });
  };
  const write = socket.write;
  socket.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    noteWrite(chunk, typeof rest[0] === 'string' ? rest[0] : undefined);
    return (write as AnyFn).call(this, chunk, ...rest);
  } as typeof socket.write;
  const end = socket.end;
  socket.end = function (this: net.Socket, ...args: unknown[]) {
    noteWrite(args[0], typeof args[1] === 'string' ? args[1] : undefined);
    closeByProgram(end);
    return (end as AnyFn).apply(this, args);
  } as typeof socket.end;
  const destroy = socket.destroy;
  socket.destroy = function (this: net.Socket, ...args: unknown[]) {
    closeByProgram(destroy);
    return (destroy as AnyFn).apply(this, args);
  } as typeof socket.destroy;
  // Node ends and destroys the socket itself after the other side ended or an error: only the
  // program's own calls (its frames on the stack) are its closing.
  const closeByProgram = (below: Function) => {
    if (closed || session.ownDepth > 0 || userFrames(below, 1).length === 0) return;
    closed = true;
    announce();
    session.emit({ kind: 'net.close', ...base(), scope, byProgram: true });
  };
  const push = socket.push;
  socket.push = function (this: net.Socket, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null) {
      if (!closed) {
        closed = true;
        announce();
        session.emit({ kind: 'net.close', ...base(), scope });
      }
    } else if (!closed) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);
      if (bytes.length > 0) {
        announce();
        session.emit({ kind: 'net.data', ...base(), scope, ...asChunk(bytes) });
      }
    }
    return push.call(this, chunk, encoding);
  };
  const emit = socket.emit;
  socket.emit = function (this: net.Socket, event: string | symbol, ...args: unknown[]) {
    if (event === (tlsSocket ? 'secureConnect' : 'connect') && !connectAt && !closed) {
      connectAt = session.reserve();
      if (protocol) announce();
    } else if (event === 'error' && !closed) {
      closed = true;
      announce();
      const error = args[0] as Error;
      const where = established ? {} : { host, port };
      session.emit({ kind: 'net.error', ...base(), scope, message: error.message, code: errorCode(error), ...where });
    }
    return (emit as AnyFn).call(this, event, ...args);
  } as typeof socket.emit;
}

function asChunk(bytes: Buffer): { chunk: string; bodyEncoding?: 'base64' } {
  const { body, bodyEncoding } = encodeBody(bytes);
  return bodyEncoding ? { chunk: body, bodyEncoding: 'base64' } : { chunk: body };
}
