// late-body (buggy): GET /export?id=N streams a file from the storage service (http.get).
// When the head arrives it arms a 100 ms "stalled" timer that answers 504; the body's end
// answers 200. The timer does not stop the download: when the body ends after it fired, the
// handler answers a second time and crashes on ERR_HTTP_HEADERS_SENT.
import http from 'node:http';
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const STALL_MS = 100;

serve((req, res) => {
  const url = new URL(req.url, 'http://app');
  if (req.method !== 'GET' || url.pathname !== '/export') return sendJson(res, 404, { error: 'not found' });
  http.get(`${UPSTREAM}/file?id=${url.searchParams.get('id')}`, (upstream) => {
    const stalled = setTimeout(() => sendJson(res, 504, { error: 'storage stalled' }), STALL_MS); // BUG: the download goes on
    let text = '';
    upstream.setEncoding('utf8').on('data', (d) => (text += d));
    upstream.on('end', () => {
      clearTimeout(stalled);
      sendJson(res, 200, JSON.parse(text)); // throws when the 504 went first
    });
  });
}, { requests: 1 });
