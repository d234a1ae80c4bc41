import dc from 'node:diagnostics_channel';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { decodeBody, type HttpListen, type HttpRequest } from '@looptape/recording';
import type { Patches } from '@looptape/recorder/capture';

type AnyFn = (...args: any[]) => any;

/** A socket-less connection: bytes pushed in are what the client sent; what the server writes is dropped. */
class InjectedSocket extends Duplex {
  remoteAddress = '127.0.0.1';
  remotePort = 0;
  remoteFamily = 'IPv4';
  /** Which delivered request this connection carries. */
  id: string | undefined;
  constructor(readonly localPort: number, remotePort = 0) {
    super({ read() {}, write(_chunk, _encoding, callback) { callback(); } });
    this.remotePort = remotePort;
  }
  setTimeout(): this { return this; }
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
  address(): { address: string; family: string; port: number } {
    return { address: '127.0.0.1', family: 'IPv4', port: this.localPort };
  }
}

/** The recorded request as the bytes a client would have sent. */
export function rawRequest(e: HttpRequest): Buffer {
  const body = decodeBody(e);
  const lines = [`${e.method} ${e.url} HTTP/1.1`];
  for (const [name, value] of Object.entries(e.headers)) {
    if (name === 'content-length' || name === 'transfer-encoding') continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(e.method)) lines.push(`content-length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/**
 * The program's servers listen virtually on their recorded ports, and recorded inbound
 * requests are injected into them without a socket: the program still gets a real
 * IncomingMessage and ServerResponse (Express included).
 */
export class VirtualNet {
  private readonly ports: number[];
  private readonly servers = new Map<number, net.Server>();
  private readonly sockets = new Map<string, InjectedSocket>();
  /** Delivered requests whose response finished, or whose client went away. */
  private readonly over = new Set<string>();

  constructor(listens: readonly HttpListen[]) {
    this.ports = listens.map((l) => l.port);
  }

  /** Watches responses finish; the recorder's installHttpIn makes servers listen through `listen`. */
  install(patches: Patches): void {
    const onFinish = (message: unknown) => {
      const { socket } = message as { socket: unknown };
      if (!(socket instanceof InjectedSocket)) return;
      if (socket.id) this.over.add(socket.id);
      setImmediate(() => socket.push(null));
    };
    dc.subscribe('http.server.response.finish', onFinish);
    patches.add(() => dc.unsubscribe('http.server.response.finish', onFinish));
  }

  /** A server of the program listens on its recorded port, without a socket. */
  listen(server: net.Server, args: unknown[]): net.Server {
    const requested = typeof args[0] === 'number' ? args[0] : typeof args[0] === 'object' && args[0] ? Number((args[0] as { port?: number }).port ?? 0) : 0;
    const port = this.ports.shift() ?? requested;
    const host = typeof args[1] === 'string' ? args[1] : '127.0.0.1';
    const callback = args.find((a) => typeof a === 'function') as AnyFn | undefined;
    this.servers.set(port, server);
    Object.defineProperty(server, 'listening', { value: true, configurable: true, writable: true });
    server.address = () => ({ address: host, family: 'IPv4', port });
    server.close = ((cb?: (error?: Error) => void) => {
      Object.defineProperty(server, 'listening', { value: false, configurable: true, writable: true });
      this.servers.delete(port);
      process.nextTick(() => {
        server.emit('close');
        cb?.();
      });
      return server;
    }) as typeof server.close;
    if (callback) server.once('listening', callback);
    process.nextTick(() => server.emit('listening'));
    return server;
  }

  /** Delivers a recorded inbound request. False when no server of the program listens on its port. */
  inject(id: string, e: HttpRequest): boolean {
    const server = (e.port !== undefined ? this.servers.get(e.port) : undefined) ?? this.servers.values().next().value;
    if (!server) return false;
    const socket = new InjectedSocket(e.port ?? 0, e.remotePort);
    socket.id = id;
    socket.once('close', () => this.over.add(id));
    this.sockets.set(id, socket);
    server.emit('connection', socket);
    socket.push(rawRequest(e));
    return true;
  }

  /**
   * Resolves once a server of the program listens where this request was sent, or after `ms`.
   * Loading the program may go on after the schedule began where no quiet point sees it (a
   * loader's module hooks on their own thread, as `node --import tsx` has on Node 20 and 22).
   */
  whenListening(e: HttpRequest, ms: number, wait: (ms: number) => Promise<void>): Promise<void> {
    // Counted in waits, not read from a clock: the program's clocks are the recording's.
    const poll = async (): Promise<void> => {
      for (let waited = 0; !this.listening(e) && waited < ms; waited += 10) await wait(10);
    };
    return poll();
  }

  /** Whether a server of the program listens where this request was sent. */
  listening(e: HttpRequest): boolean {
    return (e.port !== undefined ? this.servers.has(e.port) : false) || this.servers.size > 0;
  }

  /** A delivered request: `open` until its response finished or its client went away. */
  state(id: string): 'open' | 'over' | undefined {
    if (!this.sockets.has(id)) return undefined;
    return this.over.has(id) ? 'over' : 'open';
  }

  /** The client of a delivered request goes away. */
  abort(id: string): boolean {
    const socket = this.sockets.get(id);
    if (!socket) return false;
    socket.destroy();
    return true;
  }
}
