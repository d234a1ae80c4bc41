// Correct: GET /profile loads the avatar from a flaky upstream; when that fails it
// logs the failure and still answers (the avatar is optional), so the failure is
// visible. Server, upstream and client in one process. Runs about 100 ms, exit 0.
import http from 'node:http';

const upstream = http.createServer((req, res) => res.writeHead(503).end('down'));

const server = http.createServer(async (req, res) => {
  let avatar = null;
  try {
    const r = await fetch(`http://127.0.0.1:${upstream.address().port}/avatar`);
    if (!r.ok) throw new Error(`avatar: ${r.status}`);
    avatar = await r.text();
  } catch (err) {
    console.error(`profile: no avatar (${err.message})`); // degraded, and said so
  }
  res.end(JSON.stringify({ user: 'ada', avatar }));
});

upstream.listen(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', async () => {
  const r = await fetch(`http://127.0.0.1:${server.address().port}/profile`);
  console.log(`GET /profile -> ${r.status} ${await r.text()}`);
  for (const s of [server, upstream]) s.close().closeAllConnections();
}));
