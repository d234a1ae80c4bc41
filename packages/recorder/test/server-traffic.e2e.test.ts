/**
 * `looptape record` on a real server under real traffic: a client process sends requests,
 * the server calls a real upstream (this test's server on 127.0.0.1) with fetch and
 * http.request, then closes itself. The recording is compared with what the client and the
 * upstream actually sent and received. A connection to the program's own TCP server is local
 * work, neither net events nor unsupported.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpError, HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import {
  bodyBytes, events, fixture, killAll, lineOf, looptape, node, ofKind, refusedPort, removeTemps, replay, serve, startLooptape, tempDir,
  type Finished, type TestServer,
} from './support/looptape.js';

const GZIP_TEXT = 'hello gzip '.repeat(50);
const GZIPPED = zlib.gzipSync(GZIP_TEXT);
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
const STREAM_PARTS = ['one,', 'two,', 'three'];
const COOKIES = ['session=abcdef123456; Path=/; HttpOnly', 'theme=darkmode42; Path=/'];

interface ClientRequest { id: number; path: string; method?: string; body?: string }
const REQUESTS: ClientRequest[] = [
  { id: 1, path: '/gzip' },
  { id: 2, path: '/stream' },
  { id: 3, path: '/binary' },
  { id: 4, path: '/post', method: 'POST', body: JSON.stringify({ item: 'pen', qty: 3, note: 'ünïcødé' }) },
  { id: 5, path: '/cookies' },
  { id: 6, path: '/errors' },
  { id: 7, path: '/gzip' },
  { id: 8, path: '/post', method: 'POST', body: '{"n":8}' },
];

/** What the client process printed for one response. */
interface ClientResponse { id: number; status: number; headers: Record<string, string | string[]>; body: string }

/** What the upstream received and sent, per request. */
interface UpstreamHit { path: string; from: string; via: string; method: string; body: Buffer; sent: Buffer[] }

const hits: UpstreamHit[] = [];
let upstream: TestServer;
let run: Finished;
let all: LoopEvent[];
let client: ClientResponse[];
let serverPort: string;
let serverPid: string;

async function upstreamHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url!, 'http://upstream');
  const hit: UpstreamHit = { path: url.pathname, from: url.searchParams.get('from')!, via: url.searchParams.get('via')!, method: req.method!, body: Buffer.concat(chunks), sent: [] };
  hits.push(hit);
  const send = (chunk: string | Buffer) => {
    hit.sent.push(Buffer.from(chunk));
    res.write(chunk);
  };
  switch (url.pathname) {
    case '/gzip':
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain', 'content-length': GZIPPED.length });
      send(GZIPPED);
      return void res.end();
    case '/chunked':
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (const [i, part] of STREAM_PARTS.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 30));
        send(part);
      }
      return void res.end();
    case '/binary':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      send(BINARY);
      return void res.end();
    case '/echo':
      res.writeHead(200, { 'content-type': 'application/json' });
      send(JSON.stringify({ received: hit.body.toString('utf8') }));
      return void res.end();
    case '/cookies':
      res.setHeader('set-cookie', COOKIES);
      send('ok');
      return void res.end();
    case '/reset':
      return void req.socket.destroy();
    case '/slow':
      return; // never answers: the caller times out
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  upstream = await serve((req, res) => void upstreamHandler(req, res));
  const refused = `http://127.0.0.1:${await refusedPort()}`;
  const out = path.join(tempDir(), 'traffic.tape');
  const recording = startLooptape(['record', '--tree', '--out', out, '--', process.execPath, fixture('traffic-server.mjs'), upstream.url, refused, String(REQUESTS.length)]);
  [, serverPort, serverPid] = await recording.waitFor(/listening (\d+) (\d+)\n/);
  const traffic = await node([fixture('traffic-client.mjs'), serverPort, JSON.stringify(REQUESTS)]);
  expect(traffic.code, traffic.err).toBe(0);
  client = traffic.out.trim().split('\n').map((l) => JSON.parse(l) as ClientResponse);
  run = await recording.finished;
  all = await events(out);
}, 60_000);

afterAll(async () => {
  killAll();
  await upstream?.close();
  removeTemps();
});

const requests = () => ofKind(all, 'http.request');
const inbound = (id: number): HttpRequest => {
  const r = REQUESTS.find((q) => q.id === id)!;
  const found = requests().filter((e) => e.direction === 'in' && e.url === `${r.path}?id=${id}`);
  expect(found, `inbound request ${id}`).toHaveLength(1);
  return found[0];
};
const outbound = (p: string, from: number, via: 'fetch' | 'http', base = upstream.url): HttpRequest => {
  const found = requests().filter((e) => e.direction === 'out' && e.url === `${base}${p}?from=${from}&via=${via}`);
  expect(found, `outbound ${p} from ${from} via ${via}`).toHaveLength(1);
  return found[0];
};
const responseOf = (e: HttpRequest): HttpResponse => {
  const found = ofKind(all, 'http.response').filter((r) => r.exchange === e.exchange && r.direction === e.direction);
  expect(found, `response of exchange ${e.exchange}`).toHaveLength(1);
  return found[0];
};
const errorOf = (e: HttpRequest): HttpError => {
  const found = ofKind(all, 'http.error').filter((r) => r.exchange === e.exchange);
  expect(found, `error of exchange ${e.exchange}`).toHaveLength(1);
  return found[0];
};
const hit = (p: string, from: number, via: string): UpstreamHit => {
  const found = hits.filter((h) => h.path === p && h.from === String(from) && h.via === via);
  expect(found, `upstream hit ${p} from ${from} via ${via}`).toHaveLength(1);
  return found[0];
};
const clientSaw = (id: number): ClientResponse => client.find((c) => c.id === id)!;

describe('recording a server under traffic', () => {
  it('exits with the server\'s code, passes its output through and reports what it recorded', () => {
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(`listening ${serverPort} ${serverPid}\n`);
    expect(run.err).toMatch(new RegExp(`^looptape: recorded \\d+ events, ${REQUESTS.length} inbound requests to .*traffic\\.tape\\n$`));
    const listen = ofKind(all, 'http.listen');
    expect(listen.map((e) => [e.host, e.port])).toEqual([['127.0.0.1', Number(serverPort)]]);
    expect(ofKind(all, 'process.exit').map((e) => e.code)).toEqual([0]);
  });

  it('records every inbound request as the client sent it and the response as the client received it', () => {
    expect(client).toHaveLength(REQUESTS.length);
    for (const r of REQUESTS) {
      const request = inbound(r.id);
      expect(request.method).toBe(r.method ?? 'GET');
      expect(bodyBytes(request).equals(Buffer.from(r.body ?? '', 'utf8')), `request body ${r.id}`).toBe(true);
      const response = responseOf(request);
      const seen = clientSaw(r.id);
      expect(response.status).toBe(seen.status);
      expect(bodyBytes(response).equals(Buffer.from(seen.body, 'base64')), `response body ${r.id}`).toBe(true);
      for (const [name, value] of Object.entries(seen.headers)) {
        if (name !== 'set-cookie') expect(response.headers[name], `header ${name} of ${r.id}`).toEqual(value);
      }
    }
  });

  it('records every outbound request with the body the upstream received', () => {
    // Every call that reached the upstream, plus the one refused before it could.
    expect(requests().filter((e) => e.direction === 'out')).toHaveLength(hits.length + 1);
    for (const h of hits) {
      const request = outbound(h.path, Number(h.from), h.via as 'fetch' | 'http');
      expect(request.method).toBe(h.method);
      expect(request.client).toBe(h.via);
      expect(bodyBytes(request).equals(h.body), `body of ${request.url}`).toBe(true);
    }
  });

  it('stores a gzip response to http.request as the raw compressed bytes, in base64', () => {
    for (const id of [1, 7]) {
      const response = responseOf(outbound('/gzip', id, 'http'));
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.bodyEncoding).toBe('base64');
      expect(response.bodyDecoded).toBeFalsy();
      expect(bodyBytes(response).equals(Buffer.concat(hit('/gzip', id, 'http').sent))).toBe(true);
      // …which is also what the program got (it passed the bytes on to its client).
      const passedOn = JSON.parse(Buffer.from(clientSaw(id).body, 'base64').toString('utf8')) as { viaHttp: string };
      expect(response.body).toBe(passedOn.viaHttp);
    }
  });

  it('stores a gzip response to fetch decoded, as fetch handed it to the program, with bodyDecoded', () => {
    for (const id of [1, 7]) {
      const response = responseOf(outbound('/gzip', id, 'fetch'));
      expect(response.headers['content-encoding']).toBe('gzip');
      expect(response.bodyDecoded).toBe(true);
      expect(response.bodyEncoding).toBeUndefined();
      expect(response.body).toBe(zlib.gunzipSync(Buffer.concat(hit('/gzip', id, 'fetch').sent)).toString('utf8'));
      const passedOn = JSON.parse(Buffer.from(clientSaw(id).body, 'base64').toString('utf8')) as { viaFetch: string };
      expect(response.body).toBe(passedOn.viaFetch);
    }
  });

  it('records a streamed (chunked) response whole, and each part it arrived in as http.body', () => {
    const request = outbound('/chunked', 2, 'http');
    const response = responseOf(request);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.body).toBe(STREAM_PARTS.join(''));
    const parts = ofKind(all, 'http.body').filter((e) => e.exchange === request.exchange);
    expect(parts.length, 'parts of a body sent in three pieces 30 ms apart').toBeGreaterThan(1);
    expect(parts.map((p) => bodyBytes({ body: p.chunk, bodyEncoding: p.bodyEncoding }).toString('utf8')).join('')).toBe(response.body);
    for (const p of parts) {
      expect(p.direction).toBe('out');
      expect(p.seq).toBeGreaterThan(response.seq); // the head arrives before the parts
    }
    // The server streamed it on to its own client.
    const served = responseOf(inbound(2));
    expect(served.headers['transfer-encoding']).toBe('chunked');
    expect(served.body).toBe(STREAM_PARTS.join(''));
  });

  it('stores binary bodies as base64, byte for byte', () => {
    const response = responseOf(outbound('/binary', 3, 'fetch'));
    expect(response.bodyEncoding).toBe('base64');
    expect(bodyBytes(response).equals(BINARY)).toBe(true);
    const served = responseOf(inbound(3));
    expect(served.bodyEncoding).toBe('base64');
    expect(bodyBytes(served).equals(BINARY)).toBe(true);
  });

  it('records POST bodies: the one the server received, and the ones it sent (in two writes, and with fetch)', () => {
    for (const r of REQUESTS.filter((q) => q.method === 'POST')) {
      expect(inbound(r.id).body).toBe(r.body);
      for (const via of ['http', 'fetch'] as const) {
        const request = outbound('/echo', r.id, via);
        expect(request.method).toBe('POST');
        expect(request.body).toBe(r.body);
        expect(request.headers['content-type']).toBe('application/json');
        expect(responseOf(request).body).toBe(JSON.stringify({ received: r.body }));
      }
    }
  });

  it('keeps repeated set-cookie headers apart, in order, on both sides', () => {
    const shape = [/^session=<redacted:[^>]+>; Path=\/; HttpOnly$/, /^theme=<redacted:[^>]+>; Path=\/$/];
    const received = responseOf(outbound('/cookies', 5, 'fetch')).headers['set-cookie'] as string[];
    const served = responseOf(inbound(5)).headers['set-cookie'] as string[];
    for (const cookies of [received, served]) {
      expect(cookies).toHaveLength(2);
      cookies.forEach((c, i) => expect(c).toMatch(shape[i]));
    }
    expect(served).toEqual(received);
    expect(clientSaw(5).headers['set-cookie']).toEqual(COOKIES);
  });

  it('records network errors with the code the program saw: refused, reset, timeouts', async () => {
    const saw = JSON.parse(Buffer.from(clientSaw(6).body, 'base64').toString('utf8')) as Record<string, string>;
    expect(saw).toEqual({ refused: 'ECONNREFUSED', reset: 'ECONNRESET', timeout: 'ETIMEDOUT', fetchTimeout: 'TimeoutError' });
    const refusedUrl = requests().find((e) => e.direction === 'out' && e.url.includes('/nothing?from=6'))!;
    const cases: Array<[HttpRequest, string]> = [
      [refusedUrl, saw.refused],
      [outbound('/reset', 6, 'http'), saw.reset],
      [outbound('/slow', 6, 'http'), saw.timeout],
      [outbound('/slow', 6, 'fetch'), saw.fetchTimeout],
    ];
    for (const [request, code] of cases) {
      const error = errorOf(request);
      expect(error.direction).toBe('out');
      expect(error.code, `code of ${request.url}`).toBe(code);
      expect(ofKind(all, 'http.response').filter((r) => r.exchange === request.exchange)).toHaveLength(0);
    }
    expect(errorOf(outbound('/slow', 6, 'http')).message).toBe('upstream timed out');
  });

  it('gives every outbound exchange the scope of the inbound request it was made for', () => {
    const outs = requests().filter((e) => e.direction === 'out');
    const exchanges = new Set(outs.map((e) => e.exchange));
    for (const request of outs) {
      const from = Number(new URL(request.url).searchParams.get('from'));
      const scope = inbound(from).exchange;
      expect(request.scope, request.url).toBe(scope);
      for (const e of all) {
        if ((e.kind === 'http.response' || e.kind === 'http.error' || e.kind === 'http.body') && e.direction === 'out' && e.exchange === request.exchange) {
          expect(e.scope, `${e.kind} of ${request.url}`).toBe(scope);
        }
      }
    }
    expect(exchanges.size).toBe(outs.length);
  });

  it('roots a task tree at each inbound request: tasks created while serving it carry its scope', () => {
    const handlerLine = lineOf(fixture('traffic-server.mjs'), 'timer:handler');
    const handlerTimers = ofKind(all, 'timer.set').filter((e) => e.site?.endsWith(`traffic-server.mjs:${handlerLine}:3`));
    expect(handlerTimers).toHaveLength(REQUESTS.length);
    const inits = new Map(ofKind(all, 'task.init').map((e) => [e.task, e]));
    for (const r of REQUESTS) {
      const { exchange } = inbound(r.id);
      expect(ofKind(all, 'task.init').filter((e) => e.scope === exchange).length, `tasks of request ${r.id}`).toBeGreaterThan(0);
      const timer = handlerTimers.find((t) => t.scope === exchange);
      expect(timer, `handler timer of request ${r.id}`).toBeDefined();
      expect(inits.get(timer!.resource!)?.scope).toBe(exchange);
    }
  });

  it('links a task created after several awaits to its request through both trigger and exec chains', () => {
    const pauseLine = lineOf(fixture('traffic-server.mjs'), 'timer:pause');
    const pauses = ofKind(all, 'timer.set').filter((e) => new RegExp(`traffic-server\\.mjs:${pauseLine}:\\d+$`).test(e.site ?? ''));
    expect(pauses).toHaveLength(2); // /gzip requests 1 and 7
    const inits = new Map(ofKind(all, 'task.init').map((e) => [e.task, e]));
    for (const timer of pauses) {
      const request = requests().find((e) => e.direction === 'in' && e.exchange === timer.scope)!;
      expect(request.url).toMatch(/^\/gzip\?id=[17]$/);
      for (const link of ['trigger', 'exec'] as const) {
        const chain: number[] = [];
        let id = timer.resource!;
        while (id !== request.task && chain.length < 1000) {
          const init = inits.get(id);
          expect(init, `task.init of ${id} (${link} chain ${chain.join(' <- ')})`).toBeDefined();
          expect(init!.scope, `scope of task ${id} (${init!.type})`).toBe(request.exchange);
          chain.push(id);
          id = init![link];
        }
        expect(id, `${link} chain ${chain.join(' <- ')} reaches the request's task`).toBe(request.task);
        expect(chain.length).toBeGreaterThan(2); // through the promises of the awaits, not directly
      }
    }
  });
});

describe('raw TCP', () => {
  let upstream: TestServer | undefined;
  afterEach(async () => {
    killAll();
    await upstream?.close();
    upstream = undefined;
  });
  const echo = (req: IncomingMessage, res: ServerResponse) => res.end(`ok ${req.url}`);

  it("records a connection to the program's own TCP server as local work (neither net events nor unsupported), and fetch/http.request as HTTP; replays it", async () => {
    upstream = await serve(echo);
    const out = path.join(tempDir(), 'net.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('own-tcp-server.mjs'), upstream.url, 'net']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('fetch ok /fetch\nhttp.request ok /request\nnet hello over tcp\n');
    const all = await events(out);
    expect(ofKind(all, 'unsupported')).toEqual([]);
    expect(all.filter((e) => e.kind.startsWith('net.'))).toEqual([]);
    expect(ofKind(all, 'http.request').filter((e) => e.direction === 'out').map((e) => new URL(e.url).pathname)).toEqual(['/fetch', '/request']);
    const server = upstream;
    upstream = undefined;
    await server.close();
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.stdout).toBe(run.out);
  });

  it('records nothing unsupported for a program that only uses fetch and http.request, and replays it', async () => {
    upstream = await serve(echo);
    const out = path.join(tempDir(), 'http-only.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('own-tcp-server.mjs'), upstream.url]);
    expect(run.code, run.err).toBe(0);
    expect(ofKind(await events(out), 'unsupported')).toEqual([]);
    const { run: replayed, result } = await replay(out);
    expect(replayed.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.stdout).toBe(run.out);
  });
});
