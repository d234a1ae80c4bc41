// redis-pubsub: a Fastify-free node:http service with a Redis subscriber (ioredis). It keeps the
// messages of channel `news` as they arrive; POST /publish {text} publishes one (and logs it in
// a list), GET /feed answers the messages received so far and the list's length. Messages come
// while requests are in flight. Closes after $REQUESTS responses. REDIS_URL as redis-sessions.
import http from 'node:http';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL);
const subscriber = new Redis(process.env.REDIS_URL);
const feed = [];
subscriber.on('message', (channel, text) => feed.push(text));
await subscriber.subscribe('news');

async function handle(req, res) {
  if (req.method === 'POST' && req.url === '/publish') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { text } = JSON.parse(body);
    const [receivers] = await Promise.all([redis.publish('news', text), redis.rpush('log', text)]);
    return { receivers };
  }
  return { feed: [...feed], logged: await redis.llen('log') };
}

const limit = Number(process.env.REQUESTS || 9);
let finished = 0;
const server = http.createServer(async (req, res) => {
  res.on('close', () => {
    if (++finished === limit) server.close(() => Promise.all([subscriber.quit(), redis.quit()]));
  });
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(await handle(req, res)));
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
