// Correct: a command that starts a server, uses it, and ends with process.exit()
// while the server is still listening. Exiting on purpose leaks nothing: the
// listening socket is closed by the exit. Runs about 50 ms, exit 0.
import http from 'node:http';

const server = http.createServer((req, res) => res.end(JSON.stringify({ ok: true, path: req.url })));

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const r = await fetch(`${base}/health`);
  console.log(`GET /health -> ${r.status} ${await r.text()}`);
  process.exit(0); // done: no need to close the server first
});
