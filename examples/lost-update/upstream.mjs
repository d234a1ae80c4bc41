// Upstream stub for lost-update: the catalog's prices, 40 ms each.
import { startUpstream } from '../lib/upstream.mjs';

const PRICES = { apple: 1, pear: 2 };
startUpstream({
  'GET /price': { latencyMs: 40, answer: (url) => ({ status: 200, body: { item: url.searchParams.get('item'), price: PRICES[url.searchParams.get('item')] ?? 0 } }) },
});
