// Correct: a streamed response and a long poll, each cleaning up after itself.
// GET /events streams five lines from an interval that is cleared when the
// stream ends or the client goes away; GET /next holds the request until an
// event is published or 500 ms pass, and clears its timer and listener either
// way. The program is its own client (fetch, on 127.0.0.1), then stops by itself.
// Runs about 150 ms, exit 0.
import http from 'node:http';
import { EventEmitter } from 'node:events';

const bus = new EventEmitter();

function events(req, res) {
  res.writeHead(200, { 'content-type': 'text/plain' });
  let n = 0;
  const ticker = setInterval(() => {
    n += 1;
    res.write(`event ${n}\n`);
    if (n === 5) res.end();
  }, 15);
  res.on('close', () => clearInterval(ticker)); // ended or client gone: either way, stop
}

function next(req, res) {
  const answer = (status, body) => {
    clearTimeout(timer);
    bus.off('publish', onPublish);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const onPublish = (message) => answer(200, { message });
  const timer = setTimeout(() => answer(204, {}), 500);
  bus.once('publish', onPublish);
  bus.emit('waiting');
  res.on('close', () => {
    clearTimeout(timer);
    bus.off('publish', onPublish);
  });
}

const server = http.createServer((req, res) => (req.url === '/events' ? events(req, res) : next(req, res)));

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const stream = await fetch(`${base}/events`);
  const text = await stream.text(); // chunks may merge on the way: compare the whole
  console.log(`GET /events -> ${stream.status} ${text.trim().split('\n').join(', ')}`);

  // Publish 30 ms after the server holds the poll, whenever that is.
  bus.once('waiting', () => setTimeout(() => bus.emit('publish', 'hello'), 30));
  const waiting = fetch(`${base}/next`);
  const polled = await waiting;
  console.log(`GET /next -> ${polled.status} ${await polled.text()}`);
  server.close();
});
