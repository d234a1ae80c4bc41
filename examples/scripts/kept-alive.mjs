// Bug: a small cache evicts each entry with a 1 s timer that is not unref'd, so
// the script stays alive a second after its work is done, doing nothing but
// waiting to evict entries nobody will read again. Runs about 1.1 s, exit 0.
import { setTimeout as sleep } from 'node:timers/promises';

const cache = new Map();

function remember(key, value) {
  cache.set(key, value);
  setTimeout(() => cache.delete(key), 1000); // BUG: holds the process open; .unref() it
}

for (const job of ['resize', 'thumbnail', 'upload']) {
  await sleep(20);
  remember(job, { ok: true });
  console.log(`job ${job}: done`);
}
console.log('all jobs done');
