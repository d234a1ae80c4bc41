// Upstream stub for double-book: the venue's hold service. It places any hold it
// is asked for (it does not know about the app's bookings) and takes 100 ms, a
// wide window for a second request to pass the app's check meanwhile.
import { startUpstream } from '../lib/upstream.mjs';

startUpstream({
  'POST /reserve': {
    latencyMs: 100,
    answer: (_url, body) => ({ status: 200, body: { seat: body.seat, held: true } }),
  },
});
