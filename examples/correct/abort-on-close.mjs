// Correct: GET /report starts background work (a poll every 10 ms) tied to an
// AbortController; when the client goes away, the 'close' handler aborts it and the
// poll stops. The client gives up after 150 ms. Runs about 250 ms, exit 0.
import http from 'node:http';

function pollUntil(signal, onTick) {
  const tick = () => {
    if (signal.aborted) return; // the request is gone: stop
    onTick();
    setTimeout(tick, 10);
  };
  tick();
}

const server = http.createServer((req, res) => {
  const controller = new AbortController();
  res.on('close', () => controller.abort()); // client gone or answered: stop the work
  let polls = 0;
  pollUntil(controller.signal, () => {
    polls += 1;
    if (polls === 100) res.end('ready'); // too slow for this client
  });
});

server.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/report`;
  try {
    await fetch(url, { signal: AbortSignal.timeout(150) });
  } catch (err) {
    console.log(`GET /report -> ${err.name}`);
  }
  setTimeout(() => server.close().closeAllConnections(), 30); // let the server see the client leave first
});
