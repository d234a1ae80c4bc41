// Correct: a server reads a streamed upload with `for await` over the request, and
// the client streams it from an async generator that waits between chunks. Both
// sides consume their streams to the end. Runs about 100 ms, exit 0.
import http from 'node:http';
import { Readable } from 'node:stream';

const server = http.createServer(async (req, res) => {
  let bytes = 0;
  let chunks = 0;
  for await (const chunk of req) {
    bytes += chunk.length;
    chunks += 1;
  }
  res.end(JSON.stringify({ bytes, chunks }));
});

async function* lines() {
  for (let i = 1; i <= 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    yield Buffer.from(`line ${i}\n`);
  }
}

server.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/upload`;
  const r = await fetch(url, { method: 'POST', body: Readable.toWeb(Readable.from(lines())), duplex: 'half' });
  console.log(`POST /upload -> ${r.status} ${await r.text()}`);
  server.close();
});
