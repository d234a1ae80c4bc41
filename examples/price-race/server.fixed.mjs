// price-race (fixed): wait for both answers, then compute the quote once, from
// both, whatever order they came in.
import { serve, upstreamUrl, sendJson } from '../lib/app.mjs';

const UPSTREAM = upstreamUrl();

async function quote(item, qty) {
  const getJson = (path) => fetch(`${UPSTREAM}${path}?item=${encodeURIComponent(item)}`).then((r) => r.json());
  const [p, s] = await Promise.all([getJson('/price'), getJson('/stock')]);
  return { item, qty, unitPrice: p.price, available: s.available, total: Math.min(qty, s.available) * p.price };
}

serve(async (req, res) => {
  const url = new URL(req.url, 'http://app');
  if (req.method !== 'GET' || url.pathname !== '/quote') return sendJson(res, 404, { error: 'not found' });
  const q = await quote(url.searchParams.get('item'), Number(url.searchParams.get('qty') ?? 1));
  console.log(`quote ${q.item} x${q.qty}: ${q.total}`);
  sendJson(res, 200, q);
}, { requests: 3 });
