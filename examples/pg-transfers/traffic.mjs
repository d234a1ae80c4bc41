// pg-transfers traffic: five transfers and a failing report at once, then the balances
// (7 requests). Usage: node traffic.mjs http://127.0.0.1:PORT
const app = process.argv[2];

async function call(method, path, body) {
  const res = await fetch(`${app}${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) });
  console.log(`${method} ${path} -> ${res.status} ${await res.text()}`);
}

await Promise.all([
  ...[[1, 2, 10], [2, 3, 20], [3, 4, 30], [4, 5, 40], [5, 6, 50]].map(([from, to, amount]) => call('POST', '/transfer', { from, to, amount })),
  call('GET', '/report'),
]);
await call('GET', '/accounts');
