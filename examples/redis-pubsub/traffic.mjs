// redis-pubsub traffic: an outside publisher and the service's own POST /publish put messages on
// `news` while GET /feed requests are in flight, then a last GET /feed (9 requests).
// Usage: REDIS_URL=… node traffic.mjs http://127.0.0.1:PORT
import Redis from 'ioredis';

const app = process.argv[2];
const outside = new Redis(process.env.REDIS_URL);

async function call(method, path, body) {
  const res = await fetch(`${app}${path}`, { method, body: body && JSON.stringify(body) });
  console.log(`${method} ${path} -> ${res.status} ${await res.text()}`);
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await Promise.all([
  (async () => {
    for (const n of [1, 2, 3]) {
      await outside.publish('news', `outside ${n}`);
      await pause(20);
    }
  })(),
  ...[1, 2, 3].map((n) => call('POST', '/publish', { text: `inside ${n}` })),
  ...[1, 2, 3, 4].map(async (n) => {
    await pause(n * 15);
    await call('GET', '/feed');
  }),
]);
// Long enough for the last messages to reach the subscriber, even on a loaded machine.
await pause(300);
await call('GET', '/feed');
await call('GET', '/feed');
await outside.quit();
