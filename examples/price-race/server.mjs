// price-race (buggy): GET /quote?item=X&qty=N asks the pricing and the stock
// services at the same time and builds the quote in each `.then` as the answers
// arrive. Whichever `.then` runs last writes `total`; only the stock one caps the
// quantity at what is available. When /stock answers first (it always does:
// 5 ms against 150 ms), the price `.then` runs last and quotes the full quantity.
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();

async function quote(item, qty) {
  const q = { item, qty, unitPrice: undefined, available: undefined, total: undefined };
  const getJson = (path) => fetch(`${UPSTREAM}${path}?item=${encodeURIComponent(item)}`).then((r) => r.json());
  await Promise.all([
    getJson('/price').then((p) => {
      q.unitPrice = p.price;
      q.total = q.qty * p.price; // BUG: written as if stock were already known and sufficient
    }),
    getJson('/stock').then((s) => {
      q.available = s.available;
      q.total = Math.min(q.qty, s.available) * q.unitPrice;
    }),
  ]);
  return q;
}

serve(async (req, res) => {
  const url = new URL(req.url, 'http://app');
  if (req.method !== 'GET' || url.pathname !== '/quote') return sendJson(res, 404, { error: 'not found' });
  const q = await quote(url.searchParams.get('item'), Number(url.searchParams.get('qty') ?? 1));
  console.log(`quote ${q.item} x${q.qty}: ${q.total}`);
  sendJson(res, 200, q);
}, { requests: 3 });
