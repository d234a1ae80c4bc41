// late-body (fixed): whichever comes first wins: the stall timer destroys the download, and
// the body's end clears the timer.
import http from 'node:http';
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const STALL_MS = 100;

serve((req, res) => {
  const url = new URL(req.url, 'http://app');
  if (req.method !== 'GET' || url.pathname !== '/export') return sendJson(res, 404, { error: 'not found' });
  const download = http.get(`${UPSTREAM}/file?id=${url.searchParams.get('id')}`, (upstream) => {
    const stalled = setTimeout(() => {
      download.destroy();
      sendJson(res, 504, { error: 'storage stalled' });
    }, STALL_MS);
    let text = '';
    upstream.setEncoding('utf8').on('data', (d) => (text += d));
    upstream.on('end', () => {
      clearTimeout(stalled);
      sendJson(res, 200, JSON.parse(text));
    });
  });
  download.on('error', () => {}); // destroyed by the stall timer: already answered 504
}, { requests: 1 });
