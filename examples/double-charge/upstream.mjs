// Upstream stub for double-charge: the payment provider charges whatever it is asked to, in 80 ms.
import { startUpstream } from '../lib/upstream.mjs';

startUpstream({
  'POST /charge': { latencyMs: 80, answer: (_url, body) => ({ status: 200, body: { order: body.order, charged: body.amount } }) },
});
