// fire-and-forget (buggy): POST /order {id, amount} answers 202 at once and
// starts audit(order) without awaiting it or handling its rejection. The audit
// runs on after the response, and when the audit service refuses an order its
// rejection is unhandled: Node 20 crashes the process (exit code 1) after every
// client was told 202.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const AUDIT_DELAY_MS = 50; // the audit waits for the order to settle in

/** POSTs JSON with http.request and resolves the status. */
function post(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function audit(order) {
  await sleep(AUDIT_DELAY_MS);
  const status = await post(`${UPSTREAM}/audit`, order);
  if (status !== 201) throw new Error(`audit of order ${order.id} failed: upstream answered ${status}`);
  console.log(`audit ${order.id}: ok`);
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/order') return sendJson(res, 404, { error: 'not found' });
  const order = await readJson(req);
  audit(order); // BUG: not awaited, rejection not handled
  console.log(`order ${order.id}: accepted`);
  sendJson(res, 202, { id: order.id, status: 'accepted' });
}, { requests: 4 });
