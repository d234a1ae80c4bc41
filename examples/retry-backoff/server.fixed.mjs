// retry-backoff (fixed): the client going away aborts the backoff and the call in flight.
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();

async function withRetries(url, signal) {
  for (let attempt = 1; ; attempt++) {
    console.log(`attempt ${attempt}: GET ${new URL(url).pathname}`);
    const answer = await fetch(url, { signal });
    if (answer.status !== 503 || attempt === 3) return answer.json();
    await answer.body?.cancel();
    await sleep(100, undefined, { signal });
  }
}

serve(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/report') return sendJson(res, 404, { error: 'not found' });
  const left = new AbortController();
  res.on('close', () => {
    if (res.writableFinished) return;
    console.log('the client of /report went away');
    left.abort();
  });
  try {
    const data = await withRetries(`${UPSTREAM}/data`, left.signal);
    sendJson(res, 200, data);
  } catch (error) {
    if (!left.signal.aborted) throw error;
  }
}, { requests: 1 });
