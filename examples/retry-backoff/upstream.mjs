// Upstream stub for retry-backoff: the data service is busy (503) on the first call and
// answers on the second, 20 ms each.
import { startUpstream } from '../lib/upstream.mjs';

let calls = 0;
startUpstream({
  'GET /data': { latencyMs: 20, answer: () => (++calls === 1 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { rows: 42 } }) },
});
