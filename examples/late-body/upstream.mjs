// Upstream stub for late-body: the storage service sends a file's head at once and its body
// 300 ms later (past the app's 100 ms stall timer); under EXAMPLE_TIMING=lucky, 30 ms later.
import { startUpstream } from '../lib/upstream.mjs';

startUpstream({
  'GET /file': { latencyMs: 5, bodyDelayMs: 300, luckyBodyDelayMs: 30, answer: (url) => ({ status: 200, body: { id: url.searchParams.get('id'), rows: 1200 } }) },
});
