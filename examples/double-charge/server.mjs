// double-charge (buggy): POST /pay {order, amount} charges an order once: it checks the
// orders already paid, asks the payment provider to charge (POST /charge, 80 ms), then marks
// the order paid. A client that sends the same payment again while the first charge is in
// flight passes the check too: the card is charged twice.
import http from 'node:http';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const paid = new Set();

function charge(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${UPSTREAM}/charge`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/pay') return sendJson(res, 404, { error: 'not found' });
  const { order, amount } = await readJson(req);
  if (paid.has(order)) return sendJson(res, 200, { order, status: 'already paid' });
  const status = await charge({ order, amount }); // BUG: a retry of this payment passes the check meanwhile
  if (status !== 200) return sendJson(res, 502, { order, error: 'charge failed' });
  console.log(`charged ${order}: ${amount}`);
  paid.add(order);
  sendJson(res, 200, { order, status: 'paid' });
}, { requests: Number(process.env.REQUESTS || 1) });
