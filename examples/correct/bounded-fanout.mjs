// Correct: GET /prices asks the upstream for the price of every item in the cart,
// at most 4 at a time (a small pool of workers over the list), whatever the size
// of the cart. Runs about 50 ms, exit 0.
import http from 'node:http';

const upstream = http.createServer((req, res) => setTimeout(() => res.end('1'), 5));
const ITEMS = Array.from({ length: 20 }, (_, i) => `sku-${i}`);

/** Maps `items` through `fn` with at most `limit` calls in flight. */
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

const server = http.createServer(async (req, res) => {
  const base = `http://127.0.0.1:${upstream.address().port}`;
  const prices = await mapLimit(ITEMS, 4, (sku) => fetch(`${base}/price/${sku}`).then((r) => r.text()));
  res.end(`total ${prices.map(Number).reduce((a, b) => a + b, 0)}`);
});

upstream.listen(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', async () => {
  const r = await fetch(`http://127.0.0.1:${server.address().port}/prices`);
  console.log(`GET /prices -> ${r.status} ${await r.text()}`);
  for (const s of [server, upstream]) s.close().closeAllConnections();
}));
