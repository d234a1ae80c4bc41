/**
 * A service written the way many are: Express 5 in front, axios or got behind. `looptape
 * record` on it under real traffic, with a real upstream on 127.0.0.1; then `looptape replay`
 * with the upstream gone. The recording holds what the client and the upstream saw, each
 * request's upstream calls in its scope, the API key redacted; the replay answers the same.
 * got times each phase of its sockets with Date.now, and reuses kept-alive ones: replay must
 * give it the same sockets.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import { EVENT_KINDS } from '../../packages/recording/src/events.js';
import type { ReplayResult } from '../../packages/replayer/src/result.js';
import { events, killAll, looptape, removeTemps, serve, startLooptape, tempDir, type TestServer } from '../../packages/recorder/test/support/looptape.js';

const APP = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/express-service.mjs');
const API_KEY = 'k-live-5ecr3t';

afterAll(() => removeTemps());

describe.each(['axios', 'got'])('%s', (library) => {
  interface Hit { method: string; url: string; body: string; apiKey?: string }
  const hits: Hit[] = [];
  let upstream: TestServer;
  let tape: string;
  let all: LoopEvent[];
  const client: Array<{ method: string; url: string; status: number; body: string }> = [];

  async function upstreamHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    hits.push({ method: req.method!, url: req.url!, body, apiKey: req.headers['x-api-key'] as string | undefined });
    const url = new URL(req.url!, 'http://upstream');
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (url.pathname === '/catalog/broken') return json(503, { error: 'catalog down' });
    if (url.pathname.startsWith('/catalog/')) return json(200, { id: url.pathname.slice(9), name: `item ${url.pathname.slice(9)}` });
    if (url.pathname === '/stock') return json(200, { available: url.searchParams.get('id') === 'a' ? 3 : 0 });
    if (url.pathname === '/orders') return json(200, { orderId: 7, ...JSON.parse(body) });
    json(404, {});
  }

  beforeAll(async () => {
    hits.length = 0;
    client.length = 0;
    upstream = await serve((req, res) => void upstreamHandler(req, res));
    tape = path.join(tempDir(), `express-${library}.tape`);
    const requests = [
      { method: 'GET', url: '/items/a' },
      { method: 'POST', url: '/orders', body: JSON.stringify({ item: 'a', qty: 2 }) },
      { method: 'GET', url: '/items/broken' },
      { method: 'GET', url: '/items/b' },
    ];
    const recording = startLooptape(['record', '--out', tape, '--', process.execPath, APP, String(requests.length), library], { env: { UPSTREAM_URL: upstream.url } });
    const [, port] = await recording.waitFor(/listening (\d+)/);
    for (const r of requests) {
      const res = await fetch(`http://127.0.0.1:${port}${r.url}`, { method: r.method, body: r.body, headers: r.body ? { 'content-type': 'application/json' } : {} });
      client.push({ method: r.method, url: r.url, status: res.status, body: await res.text() });
    }
    const finished = await recording.finished;
    expect(finished.code, finished.err).toBe(0);
    await upstream.close();
    // Every kind: request scopes come with the task tree (this lean recording's, derived by replaying it).
    all = await events(tape, ...EVENT_KINDS.flatMap((kind) => ['--kind', kind]));
  }, 60_000);

  afterAll(async () => {
    killAll();
    await upstream?.close();
  });

  const inbound = () => all.filter((e): e is HttpRequest => e.kind === 'http.request' && e.direction === 'in');
  const outbound = () => all.filter((e): e is HttpRequest => e.kind === 'http.request' && e.direction === 'out');

  describe(`recording an Express service that calls its upstream with ${library}`, () => {
    it('serves the traffic as it would without looptape', () => {
      expect(client.map((c) => `${c.status} ${c.body}`)).toEqual([
        '200 {"id":"a","name":"item a","available":3}',
        '201 {"orderId":7,"item":"a","qty":2,"placedAt":"1970-01-01T00:00:00.000Z"}',
        '502 {"error":503}',
        '200 {"id":"b","name":"item b","available":0}',
      ]);
    });

    it('holds each inbound request with its body, and the response the client got', () => {
      expect(inbound().map((e) => `${e.method} ${e.url} ${e.body}`)).toEqual(['GET /items/a ', 'POST /orders {"item":"a","qty":2}', 'GET /items/broken ', 'GET /items/b ']);
      const answers = all.filter((e): e is HttpResponse => e.kind === 'http.response' && e.direction === 'in');
      expect(answers.map((e) => `${e.status} ${e.body}`)).toEqual(client.map((c) => `${c.status} ${c.body}`));
    });

    it(`holds each ${library} call as the upstream received it, and its answer`, () => {
      const recorded = outbound().map((e) => `${e.method} ${new URL(e.url).pathname}${new URL(e.url).search} ${e.body}`).sort();
      expect(recorded).toEqual(hits.map((h) => `${h.method} ${h.url} ${h.body}`).sort());
      const answers = new Map(all.filter((e): e is HttpResponse => e.kind === 'http.response' && e.direction === 'out').map((e) => [e.exchange, e]));
      for (const call of outbound()) expect(answers.get(call.exchange)?.status, call.url).toBe(call.url.includes('/catalog/broken') ? 503 : 200);
    });

    it(`puts each ${library} call in the scope of the request that made it`, () => {
      const scopeOf = new Map(inbound().map((e) => [e.url, e.scope]));
      for (const call of outbound()) {
        const url = new URL(call.url);
        const id = url.pathname.startsWith('/catalog/') ? url.pathname.slice(9) : url.searchParams.get('id');
        const served = id ? `/items/${id}` : '/orders';
        expect(call.scope, `${call.method} ${call.url}`).toBe(scopeOf.get(served));
        expect(call.scope).not.toBeNull();
      }
    });

    it('keeps the API key the service sends out of the file', () => {
      expect(hits.find((h) => h.method === 'POST')?.apiKey).toBe(API_KEY);
      expect(fs.readFileSync(tape).includes(API_KEY)).toBe(false);
    });
  });

  describe(`replaying the ${library} service with the upstream gone`, () => {
    it('answers every request as recorded, the same on every run', async () => {
      const hashes = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const run = await looptape(['replay', tape, '--json']);
        const result = JSON.parse(run.out) as ReplayResult;
        expect(run.code, result.divergence?.message).toBe(0);
        expect(result.ok).toBe(true);
        expect(result.responses.map((r) => `${r.method} ${r.url} ${r.status} ${r.body}`)).toEqual(client.map((c) => `${c.method} ${c.url} ${c.status} ${c.body}`));
        hashes.add(result.streamHash);
      }
      expect(hashes.size).toBe(1);
    }, 60_000);
  });
});
