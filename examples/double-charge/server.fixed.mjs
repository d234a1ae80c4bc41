// double-charge (fixed): the payment in flight is remembered by order, and a retry waits for
// its outcome instead of charging again (an idempotency key, kept in the process).
import http from 'node:http';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const payments = new Map(); // order -> promise of the charge's status

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
  const first = !payments.has(order);
  if (first) {
    payments.set(order, charge({ order, amount }).then((status) => {
      if (status === 200) console.log(`charged ${order}: ${amount}`);
      else payments.delete(order);
      return status;
    }));
  }
  const status = await payments.get(order);
  if (status !== 200) return sendJson(res, 502, { order, error: 'charge failed' });
  sendJson(res, 200, { order, status: first ? 'paid' : 'already paid' });
}, { requests: Number(process.env.REQUESTS || 1) });
