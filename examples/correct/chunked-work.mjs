// Correct: POST /report does the same 120 ms of computation in 10 ms slices, and
// yields to the event loop between them (setImmediate), so the heartbeat timer
// keeps firing on time. Runs about 250 ms, exit 0.
import http from 'node:http';

function slice(ms) {
  const until = Date.now() + ms;
  let n = 0;
  while (Date.now() < until) n += 1;
  return n;
}

async function crunch(ms) {
  let n = 0;
  for (let done = 0; done < ms; done += 10) {
    n += slice(10);
    await new Promise((resolve) => setImmediate(resolve)); // let timers and I/O run
  }
  return n;
}

const server = http.createServer(async (req, res) => {
  res.end(`crunched ${(await crunch(120)) > 0}`);
});

server.listen(0, '127.0.0.1', async () => {
  const heartbeat = setInterval(() => {}, 20);
  const r = await fetch(`http://127.0.0.1:${server.address().port}/report`, { method: 'POST' });
  console.log(`POST /report -> ${r.status} ${await r.text()}`);
  clearInterval(heartbeat);
  server.close().closeAllConnections();
});
