// Correct: a handler starts loading the user first, waits a little (a rate-limit
// pause), then awaits that promise together with a second one through Promise.all.
// The first promise is awaited, only later than it was created. The script does
// the same outside any request. Server and client in one process. Runs about 150 ms.
import http from 'node:http';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function loadUser(id) {
  await sleep(30);
  return { id, name: `user ${id}` };
}

async function loadSettings(id) {
  await sleep(10);
  return { id, theme: 'dark' };
}

async function profile(id) {
  const user = loadUser(id); // started now, awaited below
  await sleep(20);
  const [u, s] = await Promise.all([user, loadSettings(id)]);
  return { ...u, ...s };
}

const server = http.createServer(async (req, res) => {
  res.end(JSON.stringify(await profile(req.url.slice(1))));
});

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  for (const id of ['ada', 'bob']) {
    const r = await fetch(`${base}/${id}`);
    console.log(`GET /${id} -> ${r.status} ${await r.text()}`);
  }
  server.close();
  console.log(`script: ${JSON.stringify(await profile('cli'))}`);
});
