import http from 'node:http';
import net from 'node:net';
import type { HttpRequest } from '@looptape/recording';
import type { Restore } from '@looptape/recorder';

const kConnected = Symbol('looptape.connected');
/** The interceptors' socket (0.41, pinned): what it does when answered, done here sooner. */
type MockSocket = net.Socket & { [kConnected]?: boolean; mockConnect?: () => void; flushWriteBuffer?: () => void };
type OnSocket = (this: http.ClientRequest, socket: net.Socket, error?: Error) => void;
type Emit = (this: net.Socket, event: string | symbol, ...args: unknown[]) => boolean;

/** Events of a new connection: a kept-alive socket has none of them again. */
const CONNECTING = new Set<string | symbol>(['lookup', 'connect', 'ready']);

// Captured when this module loads, before replay patches the globals.
const realSetImmediate = setImmediate;

/**
 * Makes the sockets that answer `http` requests in replay behave like the ones the program had.
 * A client that watches its socket (got reads the clock at lookup, connect and when the
 * request is sent; `req.reusedSocket`) would otherwise do other things in replay. The
 * interceptors' socket differs from a real one three ways, each undone here:
 * - it connects, and completes the request's writes, only when answered: a real one connects
 *   as soon as it can, so two calls made at once are both connected and sent before either is
 *   answered. Here it connects in the turn after the request gets it, as local work;
 * - every request gets a new one: when recorded, Node's agent kept sockets alive (the second
 *   call to a host reuses the first one's, without connecting). Which calls to an origin had a
 *   kept-alive socket is recorded (`reused`);
 * - it says it looked its host up even when the host is an address, which needs no lookup.
 */
export function installClientSockets(recorded: readonly HttpRequest[]): Restore {
  const keptAlive = new Map<string, boolean[]>();
  for (const e of recorded) {
    if (e.client !== 'http') continue;
    const origin = originOf(e.url);
    if (origin) keptAlive.set(origin, [...(keptAlive.get(origin) ?? []), e.reused === true]);
  }
  const seen = new Map<string, number>();
  const request = http.ClientRequest.prototype as unknown as { onSocket: OnSocket };
  const socket = net.Socket.prototype as unknown as { emit: Emit };
  const onSocket = request.onSocket;
  const emit = socket.emit;
  request.onSocket = function (this: http.ClientRequest, s: net.Socket, error?: Error) {
    if (isMock(s)) {
      const origin = originOf(`${this.protocol}//${String(this.getHeader('host') ?? this.host)}`);
      const n = (seen.get(origin ?? '') ?? 0) + 1;
      seen.set(origin ?? '', n);
      if (origin && keptAlive.get(origin)?.[n - 1]) {
        (s as MockSocket)[kConnected] = true;
        (s as { connecting: boolean }).connecting = false;
        this.reusedSocket = true;
        sendOnceWritten(s as MockSocket);
      } else {
        connectSoon(s as MockSocket);
      }
    }
    return onSocket.call(this, s, error);
  };
  socket.emit = function (this: net.Socket, event: string | symbol, ...args: unknown[]) {
    if (CONNECTING.has(event) && isMock(this)) {
      // Connected already (kept alive, or here): the interceptors' own connect, when answered, is not another one.
      if ((this as MockSocket)[kConnected]) return false;
      // A real socket to an address does no lookup.
      if (event === 'lookup' && net.isIP(String(args[3] ?? ''))) return false;
    }
    return emit.call(this, event, ...args);
  };
  return () => {
    request.onSocket = onSocket;
    socket.emit = emit;
  };
}

/** Connects the socket in the next turn, as a real one would be, then sends what is written to it. */
function connectSoon(socket: MockSocket): void {
  if (typeof socket.mockConnect !== 'function' || typeof socket.flushWriteBuffer !== 'function') return;
  realSetImmediate(() => {
    if (socket.destroyed || socket[kConnected]) return;
    socket.mockConnect!();
    socket[kConnected] = true;
    sendOnceWritten(socket);
  });
}

/** What the request writes to a connected socket counts as sent (its callbacks run), not kept until answered. */
function sendOnceWritten(socket: MockSocket): void {
  if (typeof socket.flushWriteBuffer !== 'function') return;
  socket.flushWriteBuffer();
  const write = socket.write;
  socket.write = function (this: MockSocket, ...args: unknown[]) {
    const written = (write as (...a: unknown[]) => boolean).apply(this, args);
    socket.flushWriteBuffer!();
    return written;
  } as typeof socket.write;
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
