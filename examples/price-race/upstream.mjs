// Upstream stub for price-race: a pricing service and a stock service.
// /stock answers in 5 ms, /price in 150 ms, so /stock always answers first: the
// order the buggy quote handler was never written for. Under EXAMPLE_TIMING=lucky
// it is the other way round, and every quote comes out right.
import { startUpstream } from '../lib/upstream.mjs';

const PRICES = { widget: 12, gadget: 30, gizmo: 7 };
const STOCK = { widget: 3, gadget: 10, gizmo: 4 };

startUpstream({
  'GET /price': {
    latencyMs: 150,
    luckyLatencyMs: 5,
    answer: (url) => ({ status: 200, body: { item: url.searchParams.get('item'), price: PRICES[url.searchParams.get('item')] ?? 0 } }),
  },
  'GET /stock': {
    latencyMs: 5,
    luckyLatencyMs: 150,
    answer: (url) => ({ status: 200, body: { item: url.searchParams.get('item'), available: STOCK[url.searchParams.get('item')] ?? 0 } }),
  },
});
