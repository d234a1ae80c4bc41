import http from 'node:http';
import net from 'node:net';
import type { HttpRequest } from '@looptape/recording';
import { EXCHANGE, type Patches } from '@looptape/recorder/capture';
import { SocketQueues } from './socket-queues.js';

const kKeptAlive = Symbol('looptape.keptAlive');
const kFailed = Symbol('looptape.failed');
/** Connection events a delivery already emitted: the interceptors' own, when answered, are not emitted again. */
const kConnected = Symbol('looptape.connected');
type MockSocket = net.Socket & { [kKeptAlive]?: boolean; [kFailed]?: boolean; [kConnected]?: Set<string | symbol> };
/** What of the interceptors' MockHttpSocket a held connect needs. */
interface MockHttpSocket {
  connectionOptions: { hostname?: string; host?: string; port?: number; family?: number; session?: Buffer };
  encrypted?: boolean;
  flushWriteBuffer(): void;
}

/** Whether the socket of a request is the interceptors' and still connecting: its connect can be held for a delivery. */
export function connectsLater(socket: unknown): socket is net.Socket {
  return isMock(socket) && (socket as net.Socket).connecting && !(socket as MockSocket)[kKeptAlive];
}

/**
 * A held socket connects (`connect`) or ends its TLS handshake (`secure`) now, as a delivery:
 * it emits what a real socket emits then, and what was written counts as sent (on a plain
 * socket once connected, under TLS once the handshake ended). Later writes complete at once.
 */
export function connectNow(socket: net.Socket, stage: 'connect' | 'secure'): void {
  const s = socket as MockSocket;
  const mock = socket as unknown as MockHttpSocket;
  const options = mock.connectionOptions;
  const done = (s[kConnected] ??= new Set());
  if (stage === 'connect') {
    const ipv6 = net.isIPv6(options.hostname ?? '') || options.family === 6;
    const address = { address: ipv6 ? '::1' : '127.0.0.1', family: ipv6 ? 'IPv6' : 'IPv4', port: options.port };
    (s as { connecting: boolean }).connecting = false;
    s.address = () => address as net.AddressInfo;
    s.emit('lookup', null, address.address, ipv6 ? 6 : 4, options.host);
    s.emit('connect');
    s.emit('ready');
    for (const e of ['lookup', 'connect', 'ready']) done.add(e);
  } else {
    s.emit('secure');
    s.emit('secureConnect');
    s.emit('session', options.session ?? Buffer.from('mock-session-renegotiate'));
    s.emit('session', Buffer.from('mock-session-resume'));
    for (const e of ['secure', 'secureConnect', 'session']) done.add(e);
  }
  if (stage === 'secure' || !mock.encrypted) {
    mock.flushWriteBuffer();
    const write = s.write;
    s.write = function (this: net.Socket, ...args: unknown[]) {
      const result = (write as (...a: unknown[]) => boolean).apply(this, args);
      process.nextTick(() => mock.flushWriteBuffer());
      return result;
    } as typeof s.write;
  }
}
type OnSocket = (this: http.ClientRequest, socket: net.Socket, error?: Error) => void;
type Emit = (this: net.Socket, event: string | symbol, ...args: unknown[]) => boolean;

/** Answers whose body comes in parts after the head: the head must reach the client first. */
const lateBodies = new WeakSet<Response>();

/** Marks an answer whose body is delivered in parts, later than its head. */
export function headFirst(response: Response): Response {
  lateBodies.add(response);
  return response;
}

/** Events of a new connection (and of a TLS handshake): a kept-alive socket has none of them again. */
const CONNECTING = new Set<string | symbol>(['lookup', 'connect', 'ready', 'secure', 'secureConnect', 'session']);

/** The interceptors' socket of each live call (handed over inside the call's constructor, before it has its number). */
const live = new Map<http.ClientRequest, net.Socket>();

/** The socket of the live call numbered `exchange` (the number the recorder gave it when made). */
export function socketOf(exchange: number): net.Socket | undefined {
  for (const [req, socket] of live) if ((req as unknown as Record<symbol, number | undefined>)[EXCHANGE] === exchange) return socket;
  return undefined;
}

/**
 * Makes the sockets that answer `http` requests in replay look like the ones the program had.
 * A client that watches its socket (got reads the clock at lookup and connect;
 * `req.reusedSocket`) would otherwise do more in replay than it did. These differences of the
 * interceptors' socket from a real one are undone here:
 * - every request gets a new one: when recorded, Node's agent kept sockets alive (the next
 *   call to a host reuses a free socket, without connecting). Which calls had a kept-alive
 *   socket is recorded (`reused`), and taken in the order the calls were made;
 * - it says it looked its host up even when the host is an address, which needs no lookup;
 * - it closes without saying whether it was for an error, as a real one does.
 * - it sends an answer's head only with the first part of its body (the interceptors write it
 *   through a ServerResponse, which holds the head back until then): a body that came later
 *   than its head would arrive with it, and a program that acts between them could not;
 * - it connects only when answered, where a real socket connects when the network says so: a
 *   recording that has the connect (`http.connect`) holds it for its own delivery (connectNow).
 * - each call gets a socket at once, where a call that waited for a free socket of its agent
 *   (`maxSockets`, recorded `queued`) got one only when a call before it ended (SocketQueues).
 */
export function installClientSockets(patches: Patches, recorded: readonly HttpRequest[], connected: ReadonlySet<number>): void {
  live.clear();
  const calls = new Map<string, Array<{ reused: boolean; queued: boolean; connected: boolean }>>();
  // Exchange numbers are given when a call is made; sockets are handed out in that order too.
  for (const e of [...recorded].sort((a, b) => a.exchange - b.exchange)) {
    if (e.client !== 'http') continue;
    const origin = originOf(e.url);
    if (!origin) continue;
    const flags = calls.get(origin) ?? [];
    flags.push({ reused: e.reused === true, queued: e.queued === true, connected: connected.has(e.exchange) });
    calls.set(origin, flags);
  }
  const queues = new SocketQueues();
  const seen = new Map<string, number>();
  const request = http.ClientRequest.prototype as unknown as { onSocket: OnSocket };
  const socket = net.Socket.prototype as unknown as { emit: Emit };
  const serverResponse = http.ServerResponse.prototype as unknown as { writeHead: (this: http.ServerResponse, ...args: unknown[]) => unknown };
  // >0 while the interceptors write the head of a late-body answer (synchronously, in respondWith).
  let flushing = 0;
  patches.replace(serverResponse, 'writeHead', (writeHead) => function (this: http.ServerResponse, ...args: unknown[]) {
    const result = writeHead.apply(this, args);
    if (flushing > 0) this.flushHeaders();
    return result;
  });
  patches.replace(request, 'onSocket', (onSocket) => function (this: http.ClientRequest, s: net.Socket, error?: Error) {
    if (isMock(s)) {
      live.set(this, s);
      this.once('close', () => live.delete(this));
      const mock = s as unknown as { respondWith(response: Response): Promise<void> };
      const respondWith = mock.respondWith;
      mock.respondWith = function (this: unknown, response: Response) {
        if (!lateBodies.has(response)) return respondWith.call(this, response);
        flushing++;
        try {
          return respondWith.call(this, response);
        } finally {
          flushing--;
        }
      };
      const origin = originOf(`${this.protocol}//${String(this.getHeader('host') ?? this.host)}`) ?? '';
      const n = (seen.get(origin) ?? 0) + 1;
      seen.set(origin, n);
      const flags = calls.get(origin)?.[n - 1];
      const keepAlive = () => {
        (s as MockSocket)[kKeptAlive] = true;
        (s as { connecting: boolean }).connecting = false;
      };
      if (flags?.reused) {
        keepAlive();
        this.reusedSocket = true;
      }
      if (flags?.queued) {
        // It gets the socket of a call that ended: connected already (unless that one failed and
        // the agent opened a new one, whose connect the recording has), and Node does not call it reused.
        queues.wait(origin, () => {
          if (!flags.connected) keepAlive();
          queues.hold(origin, this);
          onSocket.call(this, s, error);
        });
        return;
      }
      queues.hold(origin, this);
    }
    return onSocket.call(this, s, error);
  });
  patches.replace(socket, 'emit', (emit) => function (this: net.Socket, event: string | symbol, ...args: unknown[]) {
    // A real socket says whether it closed for an error; the interceptors' says nothing.
    if (event === 'error' && isMock(this)) (this as MockSocket)[kFailed] = true;
    if (event === 'close' && args[0] === undefined && isMock(this)) return emit.call(this, event, (this as MockSocket)[kFailed] === true);
    if (CONNECTING.has(event) && isMock(this)) {
      // Kept alive: the interceptors' connect, when answered, is not a new connection.
      if ((this as MockSocket)[kKeptAlive]) return false;
      // Connected by a delivery already.
      if ((this as MockSocket)[kConnected]?.has(event)) return false;
      // A real socket to an address does no lookup.
      if (event === 'lookup' && net.isIP(String(args[3] ?? ''))) return false;
    }
    return emit.call(this, event, ...args);
  });
}

function isMock(socket: unknown): boolean {
  return (socket as object | undefined)?.constructor?.name === 'MockHttpSocket';
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
