// redis-sessions: an Express service that keeps its sessions in Redis (ioredis).
// POST /login {user} opens a session, POST /cart {sid, item} adds to it, GET /cart?sid=…
// reads it back. Closes (and quits Redis) after $REQUESTS responses.
// REDIS_URL: redis://:PASSWORD@127.0.0.1:PORT
import { randomUUID } from 'node:crypto';
import express from 'express';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);
const app = express();
app.use(express.json());

async function load(sid) {
  const text = await redis.get(`session:${sid}`);
  return text ? JSON.parse(text) : undefined;
}

app.post('/login', async (req, res) => {
  const sid = randomUUID();
  await redis.set(`session:${sid}`, JSON.stringify({ user: req.body.user, cart: [] }), 'EX', 3600);
  res.status(201).json({ sid });
});

app.post('/cart', async (req, res) => {
  const session = await load(req.body.sid);
  if (!session) return res.status(401).json({ error: 'no session' });
  session.cart.push(req.body.item);
  await redis.set(`session:${req.body.sid}`, JSON.stringify(session), 'EX', 3600);
  res.json(session);
});

app.get('/cart', async (req, res) => {
  const session = await load(req.query.sid);
  if (!session) return res.status(401).json({ error: 'no session' });
  res.json({ user: session.user, cart: session.cart, count: await redis.incr(`views:${req.query.sid}`) });
});

const limit = Number(process.env.REQUESTS || 12);
let finished = 0;
const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
server.on('request', (req, res) => {
  res.on('close', () => {
    if (++finished === limit) server.close(() => redis.quit());
  });
});
