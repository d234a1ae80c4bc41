// pg-double-book traffic, a lucky timing: ada books seat 12A, bob tries it once ada was answered
// (409), each on a connection of their own; then the bookings (3 requests). The race does not
// show; `looptape explore` finds the order where it does. Usage: node traffic.mjs http://127.0.0.1:PORT
import http from 'node:http';

const app = process.argv[2];

/** One request on a connection of its own (no keep-alive). */
function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${app}${path}`, { method, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d));
      res.on('end', () => {
        console.log(`${method} ${path} -> ${res.statusCode} ${text}`);
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body && JSON.stringify(body));
  });
}

await send('POST', '/book', { seat: '12A', person: 'ada' });
await send('POST', '/book', { seat: '12A', person: 'bob' });
await send('GET', '/bookings');
