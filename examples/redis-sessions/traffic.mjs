// redis-sessions traffic: three people log in at once, each adds two items at once, then
// each reads their cart (12 requests). Usage: node traffic.mjs http://127.0.0.1:PORT
const app = process.argv[2];

async function call(method, path, body) {
  const res = await fetch(`${app}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
  const text = await res.text();
  console.log(`${method} ${path} -> ${res.status} ${text}`);
  return JSON.parse(text);
}

const people = ['ada', 'bob', 'cy'];
const sids = await Promise.all(people.map(async (user) => (await call('POST', '/login', { user })).sid));
await Promise.all(sids.flatMap((sid, i) => [call('POST', '/cart', { sid, item: `${people[i]}-book` }), call('POST', '/cart', { sid, item: `${people[i]}-pen` })]));
await Promise.all(sids.map((sid) => call('GET', `/cart?sid=${sid}`)));
