// Bug: save() is async but called without await, so the script reads the store
// before the save has happened and prints "summary: missing"; the save settles
// later, after the code that needed it has run, and its result is lost.
// Runs about 30 ms and exits 0.
import { setTimeout as sleep } from 'node:timers/promises';

const store = new Map();

async function save(key, value) {
  await sleep(30); // a slow write
  store.set(key, value);
  return store.size;
}

const summary = { users: 3, orders: 7 };
save('summary', summary); // BUG: missing await
console.log(`summary: ${store.has('summary') ? JSON.stringify(store.get('summary')) : 'missing'}`);
