// Bug: GET /profile loads the user's avatar from a flaky upstream and swallows its
// failure with an empty catch: the client gets 200 with no avatar, and nothing in
// the logs says the upstream failed. Server, upstream and client in one process.
// Runs about 100 ms, exit 0.
import http from 'node:http';

const upstream = http.createServer((req, res) => res.writeHead(503).end('down'));

const server = http.createServer(async (req, res) => {
  let avatar = null;
  try {
    const r = await fetch(`http://127.0.0.1:${upstream.address().port}/avatar`);
    if (!r.ok) throw new Error(`avatar: ${r.status}`);
    avatar = await r.text();
  } catch {} // BUG: the failure disappears
  res.end(JSON.stringify({ user: 'ada', avatar }));
});

upstream.listen(0, '127.0.0.1', () => server.listen(0, '127.0.0.1', async () => {
  const r = await fetch(`http://127.0.0.1:${server.address().port}/profile`);
  console.log(`GET /profile -> ${r.status} ${await r.text()}`);
  for (const s of [server, upstream]) s.close().closeAllConnections();
}));
