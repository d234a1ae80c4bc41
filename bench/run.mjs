#!/usr/bin/env node
// `pnpm bench [NAME...]`: runs the benchmarks in bench/ one after another (all by default).
// Each prints a readable table and one JSON line; run on purpose, not in CI: machines are noisy,
// so each reports ratios measured within one run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['record', 'replay', 'explore', 'report', 'precision', 'tui', 'export', 'checksum', 'files', 'redis'].filter((name) => fs.existsSync(path.join(HERE, `${name}.mjs`)));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')} (one of ${ALL.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : ALL) {
  console.log(`\n== bench/${name}.mjs`);
  const run = spawnSync(process.execPath, [path.join(HERE, `${name}.mjs`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench/${name}.mjs exited ${run.status ?? run.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
