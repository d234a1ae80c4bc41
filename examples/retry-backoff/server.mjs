// retry-backoff (buggy): GET /report asks the data service and, when it answers 503, waits
// 100 ms and tries again (3 tries at most). It never looks at its own client: when the client
// goes away during the backoff, the retries go on for nobody.
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();

async function withRetries(url) {
  for (let attempt = 1; ; attempt++) {
    console.log(`attempt ${attempt}: GET ${new URL(url).pathname}`);
    const answer = await fetch(url);
    if (answer.status !== 503 || attempt === 3) return answer.json();
    await answer.body?.cancel();
    await sleep(100); // BUG: goes on after the client left
  }
}

serve(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/report') return sendJson(res, 404, { error: 'not found' });
  res.on('close', () => {
    if (!res.writableFinished) console.log('the client of /report went away');
  });
  const data = await withRetries(`${UPSTREAM}/data`);
  if (!res.destroyed) sendJson(res, 200, data);
}, { requests: 1 });
