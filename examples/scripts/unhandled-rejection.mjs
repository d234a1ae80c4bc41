// Bug: the script's last step, notifyDone(), is started without await and
// without a handler; it rejects after the main work printed "done", and Node 20
// crashes with exit code 1 on the unhandled rejection. Runs about 50 ms.
import { setTimeout as sleep } from 'node:timers/promises';

async function migrate(tables) {
  for (const table of tables) {
    await sleep(10);
    console.log(`migrated ${table}`);
  }
}

async function notifyDone() {
  await sleep(20);
  throw new Error('notify failed: no webhook configured');
}

await migrate(['users', 'orders']);
console.log('done');
notifyDone(); // BUG: neither awaited nor handled
