// Correct: an Express 5 app whose async route fails on bad input; Express passes the
// rejection to the error middleware, which answers 400. Every request is answered,
// every error handled. Server and client in one process. Runs about 100 ms, exit 0.
import express from 'express';

const app = express();

app.get('/items/:id', async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // a lookup
  if (!/^\d+$/.test(req.params.id)) throw Object.assign(new Error(`bad id ${req.params.id}`), { status: 400 });
  res.json({ id: Number(req.params.id) });
});

app.use((err, req, res, next) => {
  res.status(err.status ?? 500).json({ error: err.message });
});

const server = app.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  for (const id of ['1', 'x', '2']) {
    const r = await fetch(`${base}/items/${id}`);
    console.log(`GET /items/${id} -> ${r.status} ${await r.text()}`);
  }
  server.close();
});
