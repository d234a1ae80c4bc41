// Writes FILES small JSON files (default 1000) into a fresh folder, reads them all back, then
// removes the folder: the file work of a cache or a store of documents, for bench/files.mjs.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const count = Number(process.env.FILES ?? 1000);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'looptape-many-'));
const name = (i) => path.join(dir, `doc-${i}.json`);
const started = process.cpuUsage();
for (let from = 0; from < count; from += 50) {
  const batch = Array.from({ length: Math.min(50, count - from) }, (_, k) => from + k);
  await Promise.all(batch.map((i) => fs.writeFile(name(i), JSON.stringify({ id: i, title: `document ${i}`, tags: ['a', 'b'], body: 'x'.repeat(200 + (i % 50)) }))));
}
let bytes = 0;
for (let from = 0; from < count; from += 50) {
  const batch = Array.from({ length: Math.min(50, count - from) }, (_, k) => from + k);
  for (const text of await Promise.all(batch.map((i) => fs.readFile(name(i), 'utf8')))) bytes += JSON.parse(text).body.length;
}
const cpu = process.cpuUsage(started);
await fs.rm(dir, { recursive: true, force: true });
console.log(JSON.stringify({ files: count, bytes, cpuMs: (cpu.user + cpu.system) / 1000 }));
