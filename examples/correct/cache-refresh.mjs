// Correct: a server keeps a small cache fresh from a background interval. The
// interval is unref'd: it refreshes while the server runs and never keeps the
// process alive by itself, so closing the server ends the program. Background
// work by design, not a leak and not a rogue loop. Runs about 200 ms, exit 0.
import http from 'node:http';

let prices = { apple: 1 };
let refreshes = 0;

const refresher = setInterval(() => {
  refreshes += 1;
  prices = { apple: 1 + refreshes / 10 };
}, 20);
refresher.unref(); // background: must not keep the process alive

const server = http.createServer((req, res) => res.end(JSON.stringify(prices)));

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${base}/prices`);
    console.log(`GET /prices -> ${r.status} ${(await r.text()).length > 0 ? 'prices' : 'empty'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  server.close();
});
