// double-book (buggy): POST /book {seat} checks the set of booked seats, awaits
// the venue's hold (POST /reserve, 100 ms), then marks the seat booked. Two
// requests for one seat that arrive within those 100 ms both pass the check, and
// both get 201: check-then-act across an await.
import http from 'node:http';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const booked = new Set();

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
  const hold = await postJson(`${UPSTREAM}/reserve`, { seat }); // BUG: the seat is still free to others while we wait
  if (hold.status !== 200) return { status: 502, body: { seat, error: 'hold failed' } };
  booked.add(seat);
  return { status: 201, body: { seat, status: 'booked' } };
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/book') return sendJson(res, 404, { error: 'not found' });
  const { seat } = await readJson(req);
  const { status, body } = await book(seat);
  console.log(`book ${seat}: ${status}`);
  sendJson(res, status, body);
}, { requests: 3 });
