// retry-backoff traffic: one report; the client gives up after 70 ms (during the app's
// backoff). Under EXAMPLE_TIMING=lucky it waits for the answer.
import http from 'node:http';
import { appUrl, LUCKY, send } from '../lib/traffic.mjs';

const app = appUrl();
if (LUCKY) await send(app, 'GET', '/report');
else {
  // node:http, not fetch: fetch's first call loads undici, which alone can take longer than 70 ms.
  await new Promise((resolve) => {
    const req = http.get(new URL('/report', app), (res) => res.resume().on('end', resolve));
    req.on('error', (err) => {
      console.log(`GET /report -> ERR ${err.code ?? err.name}`);
      resolve();
    });
    setTimeout(() => req.destroy(), 70);
  });
}
