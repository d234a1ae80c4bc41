// double-book (fixed): claim the seat before the await (synchronously, so no
// other request can see it free), and give it back if the hold fails.
import http from 'node:http';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const booked = new Set(); // booked, or being booked

/** POSTs JSON with http.request (this example's client API; price-race uses fetch). */
function postJson(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function book(seat) {
  if (booked.has(seat)) return { status: 409, body: { seat, error: 'already booked' } };
  booked.add(seat);
  try {
    const hold = await postJson(`${UPSTREAM}/reserve`, { seat });
    if (hold.status === 200) return { status: 201, body: { seat, status: 'booked' } };
  } catch {
    // the hold failed: give the seat back below
  }
  booked.delete(seat);
  return { status: 502, body: { seat, error: 'hold failed' } };
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/book') return sendJson(res, 404, { error: 'not found' });
  const { seat } = await readJson(req);
  const { status, body } = await book(seat);
  console.log(`book ${seat}: ${status}`);
  sendJson(res, status, body);
}, { requests: 3 });
