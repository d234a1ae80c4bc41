// The upstream stub every example's upstream.mjs is made of: fixed routes, fixed
// latencies, deterministic bodies. Only Node built-ins.
import http from 'node:http';

const LIFETIME_MS = 60_000;

/** `EXAMPLE_TIMING=lucky`: the timing under which the example's race does not show. */
const LUCKY = process.env.EXAMPLE_TIMING === 'lucky';

/**
 * Starts a stub on 127.0.0.1:0. `routes` maps `'METHOD /path'` to
 * `{ latencyMs, luckyLatencyMs?, bodyDelayMs?, luckyBodyDelayMs?, answer(url, body) -> { status, body } }`;
 * the answer is sent after exactly `latencyMs` (`luckyLatencyMs` under EXAMPLE_TIMING=lucky);
 * with `bodyDelayMs`, the head goes first and the body that much later. Prints `listening on http://127.0.0.1:<port>`, and stops on
 * SIGTERM, SIGINT or after 60 s, whichever comes first.
 */
export function startUpstream(routes) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://upstream');
    let text = '';
    for await (const chunk of req) text += chunk;
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return reply(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    const { status, body } = route.answer(url, text ? JSON.parse(text) : {});
    // unref: a stopped stub does not wait for answers nobody will read.
    const latency = LUCKY ? route.luckyLatencyMs ?? route.latencyMs : route.latencyMs;
    const bodyDelay = LUCKY ? route.luckyBodyDelayMs ?? route.bodyDelayMs : route.bodyDelayMs;
    setTimeout(() => (bodyDelay === undefined ? reply(res, status, body) : replyLate(res, status, body, bodyDelay)), latency).unref();
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // unref: the server, not this timer, keeps the process alive.
  setTimeout(stop, LIFETIME_MS).unref();
  server.listen(0, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  return server;
}

/** The head now (flushed), the body `delayMs` later. */
function replyLate(res, status, body, delayMs) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.flushHeaders();
  setTimeout(() => res.destroyed || res.end(JSON.stringify(body)), delayMs).unref();
}

function reply(res, status, body) {
  if (res.destroyed) return; // the client gave up (an aborted fetch): nothing to answer
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
