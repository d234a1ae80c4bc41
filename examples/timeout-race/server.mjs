// timeout-race (buggy): GET /profile?user=X answers 504 if the profile service
// has not answered within 150 ms. The timer is never cleared when the profile
// wins, and the fetch is never abandoned when the timer wins: either way the
// loser answers too, after the response has ended (ERR_HTTP_HEADERS_SENT).
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const TIMEOUT_MS = 150;

/** Answers with JSON; a failed write is logged, not thrown, so one request cannot crash the server. */
function answer(req, res, status, body) {
  try {
    sendJson(res, status, body);
    console.log(`${req.method} ${req.url} -> ${status}`);
  } catch (err) {
    console.error(`${req.method} ${req.url}: cannot answer ${status}: ${err.code}: ${err.message}`);
  }
}

async function profile(req, res, user) {
  setTimeout(() => answer(req, res, 504, { error: 'profile service timed out' }), TIMEOUT_MS); // BUG: never cleared
  const upstream = await fetch(`${UPSTREAM}/profile/${encodeURIComponent(user)}`); // BUG: never abandoned
  answer(req, res, upstream.status, await upstream.json());
}

// Refuse to start without the profile service (this also loads fetch before the
// first request, so the first request is not slower than the others).
await (await fetch(`${UPSTREAM}/health`)).json();

serve((req, res) => {
  const url = new URL(req.url, 'http://app');
  if (req.method !== 'GET' || url.pathname !== '/profile') return answer(req, res, 404, { error: 'not found' });
  profile(req, res, url.searchParams.get('user')).catch((err) => answer(req, res, 502, { error: err.message }));
}, { requests: 2 });
