// Bug: GET /prices asks the upstream for the price of every item in the cart at
// once, with Promise.all over the list: 60 calls in flight for one request, as
// many as the cart holds. Runs about 300 ms, exit 0.
import http from 'node:http';

const upstream = http.createServer((req, res) => setTimeout(() => res.end('1'), 20));
const ITEMS = Array.from({ length: 60 }, (_, i) => `sku-${i}`);

const server = http.createServer(async (req, res) => {
  const base = `http://127.0.0.1:${upstream.address().port}`;
  // BUG: one call per item, all at once
  const prices = await Promise.all(ITEMS.map((sku) => fetch(`${base}/price/${sku}`).then((r) => r.text())));
  res.end(`total ${prices.map(Number).reduce((a, b) => a + b, 0)}`);
});

upstream.listen(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', async () => {
  const r = await fetch(`http://127.0.0.1:${server.address().port}/prices`);
  console.log(`GET /prices -> ${r.status} ${await r.text()}`);
  for (const s of [server, upstream]) s.close().closeAllConnections();
}));
