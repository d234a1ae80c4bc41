// Upstream stub for fire-and-forget: the audit service. It files orders up to
// 1000 (201) and refuses larger ones (422: they need a human). 20 ms each.
import { startUpstream } from '../lib/upstream.mjs';

startUpstream({
  'POST /audit': {
    latencyMs: 20,
    answer: (_url, order) =>
      order.amount > 1000
        ? { status: 422, body: { id: order.id, error: 'amount needs review' } }
        : { status: 201, body: { id: order.id, audited: true } },
  },
});
