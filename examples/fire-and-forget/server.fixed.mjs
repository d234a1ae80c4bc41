// fire-and-forget (fixed): the audit still runs after the 202, but it is
// tracked, its failure is handled (logged, where a real service would retry or
// alert), and shutdown waits for the audits still running.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve, upstreamUrl, readJson, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();
const AUDIT_DELAY_MS = 50; // the audit waits for the order to settle in
const audits = new Set(); // audits still running

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

/** Starts an audit in the background, tracked and with its failure handled. */
function startAudit(order) {
  const running = audit(order)
    .catch((err) => console.error(err.message))
    .finally(() => audits.delete(running));
  audits.add(running);
}

const server = serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/order') return sendJson(res, 404, { error: 'not found' });
  const order = await readJson(req);
  startAudit(order);
  console.log(`order ${order.id}: accepted`);
  sendJson(res, 202, { id: order.id, status: 'accepted' });
}, { requests: 4 });

server.on('close', async () => {
  await Promise.all(audits);
  console.log('all audits done');
});
