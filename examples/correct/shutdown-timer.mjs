// Correct: after the last expected response has finished, the server schedules its
// own shutdown from the response's 'finish' handler (a short grace period for logs
// to flush, then process.exit). That timer is shutdown work, not work of the request.
// The program is its own client (fetch, 127.0.0.1). Runs about 350 ms, exit 0.
import http from 'node:http';

const EXPECTED = 3;
let finished = 0;

const server = http.createServer((req, res) => {
  res.on('finish', () => {
    finished += 1;
    if (finished === EXPECTED) setTimeout(() => process.exit(0), 300); // grace period, then stop
  });
  res.end(`hello ${finished + 1}`);
});

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  for (let i = 0; i < EXPECTED; i++) {
    const r = await fetch(`${base}/hello`);
    console.log(`GET /hello -> ${r.status} ${await r.text()}`);
  }
});
