// Correct: GET /quote calls a flaky upstream and retries with backoff, but the retry
// loop checks whether its request is still open before each attempt, so it stops
// when the request ends (answered, or its client gone). The first client waits for
// the answer; the second gives up early. Runs about 250 ms, exit 0.
import http from 'node:http';

let calls = 0;
const upstream = http.createServer((req, res) => {
  calls += 1;
  res.statusCode = calls % 3 === 0 ? 200 : 503; // fails twice, then answers
  res.end(res.statusCode === 200 ? '42' : 'busy');
});

async function withRetry(res, attempt) {
  for (let i = 0, wait = 10; ; i++, wait *= 2) {
    if (res.destroyed || res.writableEnded) return null; // the request is over: stop retrying
    const r = await attempt();
    if (r.ok) return r.text();
    await r.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const server = http.createServer(async (req, res) => {
  const quote = await withRetry(res, () => fetch(`http://127.0.0.1:${upstream.address().port}/price`));
  if (quote !== null) res.end(quote);
});

upstream.listen(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/quote`;
  const r = await fetch(url);
  console.log(`GET /quote -> ${r.status} ${await r.text()}`);
  try {
    await fetch(url, { signal: AbortSignal.timeout(15) });
  } catch (err) {
    console.log(`GET /quote (impatient) -> ${err.name}`);
  }
  setTimeout(() => {
    for (const s of [server, upstream]) s.close().closeAllConnections(); // fetch keeps its sockets alive
  }, 150);
}));
