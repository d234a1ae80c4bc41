// Correct: fire-and-forget work done right. POST /job answers 202 at once and
// the work goes on after the response, but every background task is tracked,
// its failure is handled, and shutdown waits for all of them. The program sends
// itself three jobs (server and client in one process, on 127.0.0.1), then
// stops by itself. Runs about 100 ms, exit 0.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

async function work(job) {
  await sleep(40);
  if (job.fail) throw new Error(`job ${job.id} failed`);
  console.log(`job ${job.id}: done`);
}

/** Starts work in the background: tracked, failure handled. */
function track(job) {
  const task = work(job)
    .catch((err) => console.log(`${err.message} (handled)`))
    .finally(() => running.delete(task));
  running.add(task);
}

const server = http.createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8').on('data', (d) => (text += d));
  req.on('end', () => {
    track(JSON.parse(text));
    res.writeHead(202).end();
  });
});

function post(port, job) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/job', method: 'POST' }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(JSON.stringify(job));
  });
}

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  for (const job of [{ id: 1 }, { id: 2, fail: true }, { id: 3 }]) {
    console.log(`POST /job ${job.id} -> ${await post(port, job)}`);
  }
  server.close();
  await Promise.all(running); // shutdown waits for the background work
  console.log('all jobs finished');
});
