// Bug: POST /report builds its answer with a synchronous busy computation of about
// 300 ms (a CPU-bound loop standing in for a big JSON.parse or a sync hash); the
// heartbeat timer due meanwhile fires late. Long enough that the time a loaded machine
// takes the process away (which report does not count) cannot bring it under --block.
// Runs about 450 ms, exit 0.
import http from 'node:http';

function crunch(ms) {
  const until = Date.now() + ms;
  let n = 0;
  while (Date.now() < until) n += 1; // BUG: blocks the event loop for the whole time
  return n;
}

const server = http.createServer((req, res) => {
  res.end(`crunched ${crunch(300) > 0}`);
});

server.listen(0, '127.0.0.1', async () => {
  const heartbeat = setInterval(() => {}, 20);
  const r = await fetch(`http://127.0.0.1:${server.address().port}/report`, { method: 'POST' });
  console.log(`POST /report -> ${r.status} ${await r.text()}`);
  clearInterval(heartbeat);
  server.close().closeAllConnections();
});
