// An upstream stub served by the test process on 127.0.0.1: fixed routes, fixed latencies.
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';

export interface Route {
  latencyMs: number;
  body: string;
  /** Send the body gzip-compressed, with `content-encoding: gzip`. */
  gzip?: boolean;
  /** Stream these parts instead of `body`, `gapMs` apart, and end `gapMs` after the last. */
  chunks?: string[];
  gapMs?: number;
  /**
   * With `chunks`: instead of waiting `gapMs`, waits for this before each part after the first
   * and before the end, so that the test decides when the next part may go.
   */
  release?: () => Promise<void>;
}

export interface Stub {
  url: string;
  port: number;
  /** Requests it received, as `METHOD /path`. */
  hits: string[];
  close(): Promise<void>;
}

/** Starts a stub answering `routes` (by path); 404 for anything else. */
export async function startStub(routes: Record<string, Route>): Promise<Stub> {
  const hits: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    const route = routes[new URL(req.url ?? '/', 'http://stub').pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (res.destroyed) return;
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (route.gzip) headers['content-encoding'] = 'gzip';
      if (route.chunks) return stream(res.writeHead(200, { 'content-type': 'text/plain' }), [...route.chunks], route.gapMs ?? 20, route.release);
      res.writeHead(200, headers).end(route.gzip ? zlib.gzipSync(route.body) : route.body);
    }, route.latencyMs);
    timers.add(timer);
  });
  const stream = (res: http.ServerResponse, parts: string[], gapMs: number, release?: () => Promise<void>): void => {
    const next = parts.shift();
    if (res.destroyed) return;
    if (next === undefined) {
      res.end();
      return;
    }
    res.write(next);
    if (release) {
      void release().then(() => stream(res, parts, gapMs, release));
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      stream(res, parts, gapMs);
    }, gapMs);
    timers.add(timer);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves the error code of a TCP connection attempt to 127.0.0.1:port, or 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A listener on `port` that only counts the connections it gets. */
export async function sentinel(port: number): Promise<{ connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { connections: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
