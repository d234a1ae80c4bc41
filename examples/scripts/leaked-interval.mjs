// Bug: a metrics interval that nobody clears. It is unref'd, so the script still
// ends, but the interval is live until the very end: a leaked timer at exit.
// Runs about 150 ms and exits 0.
import { setTimeout as sleep } from 'node:timers/promises';

const metrics = [];
const flusher = setInterval(() => {
  if (metrics.length > 0) console.log(`flushed ${metrics.splice(0).length} metrics`);
}, 40);
flusher.unref(); // BUG: unref hides the leak instead of clearInterval(flusher) at the end

for (const job of ['resize', 'thumbnail', 'upload']) {
  await sleep(50);
  metrics.push({ job, ok: true });
  console.log(`job ${job}: done`);
}
console.log('all jobs done');
