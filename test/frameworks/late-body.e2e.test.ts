/**
 * A body that comes long after its head, on each client: the upstream flushes the head, waits
 * 100 ms, then sends the body; the program runs a progress timer meanwhile. The recording holds
 * the body as its own delivery, after the head and the ticks between them; replay delivers it
 * there, so the program prints the same ticks. A body merged into its head would end the call
 * before the first tick.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, NODE, record, recordedStdout, replayJson, scratch } from '../../packages/replayer/test/support/cli.js';

const FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/late-body.mjs');
const dir = scratch('late-body');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An upstream whose every answer is a head at once and `{"late":true}` 100 ms later. */
async function lateUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    setTimeout(() => res.end('{"late":true}'), 100);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// got reads the clock when its socket connects: the connect is a delivery of its own, so a tick
// that came between the connect and the head when recorded comes there in replay too.
describe.each(['http', 'fetch', 'axios', 'got', 'node-fetch'])('a late body through %s', (client) => {
  it('is recorded after the ticks that ran before it, and replayed there', async () => {
    const upstream = await lateUpstream();
    const tape = path.join(dir, `${client}.tape`);
    const run = await record(tape, [NODE, FIXTURE, client], { env: { UPSTREAM_URL: upstream.url } }).finally(() => upstream.close());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^(tick \d+: 1 open\n)+done: \{"late":true\}\n$/);
    const all = await events(tape);
    const head = all.find((e) => e.kind === 'http.response' && e.direction === 'out')!;
    const body = all.filter((e) => e.kind === 'http.body' && e.exchange === (head.kind === 'http.response' ? head.exchange : -1));
    expect(body.length).toBeGreaterThan(0);
    // A tick ran after the head came and before the body did: two deliveries, apart.
    const between = all.filter((e) => e.kind === 'timer.fire' && e.seq > head.seq && e.seq < body[0].seq);
    expect(between.length).toBeGreaterThan(0);
    const recorded = recordedStdout(all);
    for (let i = 0; i < 3; i++) {
      const { code, result } = await replayJson(tape);
      expect(code, result.divergence?.message).toBe(0);
      expect(result.stdout).toBe(recorded);
    }
  }, 90_000);
});
