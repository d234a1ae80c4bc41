// Upstream stub for timeout-race: a profile service. Ada's profile comes back in
// 10 ms, far inside the app's 150 ms timeout; Bob's takes 400 ms, far past it.
import { startUpstream } from '../lib/upstream.mjs';

const profile = (name, plan) => () => ({ status: 200, body: { name, plan } });

startUpstream({
  'GET /health': { latencyMs: 0, answer: () => ({ status: 200, body: { ok: true } }) },
  'GET /profile/ada': { latencyMs: 10, answer: profile('Ada', 'pro') },
  'GET /profile/bob': { latencyMs: 400, answer: profile('Bob', 'free') },
});
