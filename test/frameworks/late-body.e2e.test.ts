/**
 * A body that comes long after its head, on each client, over HTTP and over HTTPS (a real TLS
 * server on 127.0.0.1 with a certificate made for the test, which the program trusts through
 * NODE_EXTRA_CA_CERTS): the upstream flushes the head, waits 100 ms, then sends the body; the
 * program runs a progress timer meanwhile. The recording holds
 * the body as its own delivery, after the head and the ticks between them; replay delivers it
 * there, so the program prints the same ticks. A body merged into its head would end the call
 * before the first tick.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { events, NODE, record, recordedStdout, replayJson, scratch } from '../../packages/replayer/test/support/cli.js';

const FIXTURE = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/late-body.mjs');
const dir = scratch('late-body');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for 127.0.0.1, made now (so valid by this machine's clock). */
function certificate(): { key: string; cert: string; certFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}
const tls = certificate();

/** An upstream (HTTP, or HTTPS with the test's certificate) whose every answer is a head at once and `{"late":true}` 100 ms later. */
async function lateUpstream(secure: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    setTimeout(() => res.end('{"late":true}'), 100);
  };
  const server = secure ? https.createServer({ key: tls.key, cert: tls.cert }, answer) : http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}

// got reads the clock when its socket connects: the connect is a delivery of its own, so a tick
// that came between the connect and the head when recorded comes there in replay too.
const CLIENTS = ['http', 'fetch', 'axios', 'got', 'node-fetch'];
describe.each(CLIENTS.flatMap((client) => [[client, 'http'], [client, 'https']]))('a late body through %s over %s', (client, scheme) => {
  it('is recorded after the ticks that ran before it, and replayed there', async () => {
    const tape = path.join(dir, `${client}-${scheme}.tape`);
    // A machine loaded enough to stall the program for the whole 100 ms reads head and body at
    // once: that run has no tick between them to keep apart, so it is recorded again (at most
    // 3 runs). A recorder that merged the body into its head would fail every run.
    let all: LoopEvent[] = [];
    let url = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      const upstream = await lateUpstream(scheme === 'https');
      url = upstream.url;
      const env = { UPSTREAM_URL: upstream.url, NODE_EXTRA_CA_CERTS: tls.certFile };
      const run = await record(tape, [NODE, FIXTURE, client], { env }).finally(() => upstream.close());
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^(tick \d+: 1 open\n)+done: \{"late":true\}\n$/);
      all = await events(tape);
      const head = all.find((e) => e.kind === 'http.response' && e.direction === 'out');
      const firstBody = all.find((e) => e.kind === 'http.body' && head?.kind === 'http.response' && e.exchange === head.exchange);
      if (head && firstBody && all.some((e) => e.kind === 'timer.fire' && e.seq > head.seq && e.seq < firstBody.seq)) break;
    }
    expect(all.find((e) => e.kind === 'http.request' && e.direction === 'out')).toMatchObject({ url: `${scheme}://127.0.0.1:${new URL(url).port}/late` });
    // Node's https client: its socket connected, then ended its TLS handshake, each a delivery.
    if (['http', 'axios', 'got', 'node-fetch'].includes(client)) {
      expect(all.filter((e) => e.kind === 'http.connect').map((e) => e.kind === 'http.connect' && (e.secure ?? false))).toEqual(scheme === 'https' ? [false, true] : [false]);
    }
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
