#!/usr/bin/env node
// `node bench/fidelity.mjs [--times N] [--write]`: records each client case of
// bench/fidelity-run.mjs on Node 20 (the machine's), 22 and 24 (from .ci/node-version) and
// replays each recording N times (20 by default) on the same Node, with the upstream gone.
// Prints the README's fidelity table from those runs (`--write` puts it in the README between
// its markers) and one JSON line. A case stops replaying at its first failure: the line says why.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, recordAndReplay, verdict } from './fidelity-run.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const times = Number(args[args.indexOf('--times') + 1] || 20);
if (args.includes('--times') && !(times > 0)) {
  console.error('bench/fidelity: --times takes a positive number');
  process.exit(2);
}
const versions = ['current', '22', '24'].map((v) => {
  const bin = execFileSync(path.join(ROOT, '.ci/node-version'), [v], { encoding: 'utf8' }).trim().split('\n').pop();
  const node = path.join(bin, 'node');
  return { node, version: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelity-'));
const rows = [];
for (const testCase of CASES) {
  const cells = [];
  for (const { node, version } of versions) {
    const run = await recordAndReplay(testCase, { node, times, dir, stopAtFailure: true });
    const v = run.recordCode === 0 ? verdict(run) : { replayed: false, text: `recording failed (exit ${run.recordCode})` };
    cells.push({ version, ...v });
    console.error(`${testCase.name} on ${version}: ${v.text}`);
  }
  rows.push({ name: testCase.name, cells });
}
fs.rmSync(dir, { recursive: true, force: true });

const shorten = (text) => text.replace(/ at [^)]*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?([^/]+)\/[^)]*/, ' in $1').replace(/\|/g, '\\|');
const table = [
  `| client or framework | ${versions.map((v) => `Node ${v.version}`).join(' | ')} |`,
  `|---|${versions.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.name} | ${r.cells.map((c) => `${c.replayed ? 'replayed' : 'not replayed'}: ${shorten(c.text)}`).join(' | ')} |`),
].join('\n');
console.log(table);
console.log(JSON.stringify({ bench: 'fidelity', times, rows }));
if (args.includes('--write')) {
  const readme = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const begin = '<!-- fidelity table: node bench/fidelity.mjs --write -->';
  const end = '<!-- end of fidelity table -->';
  if (!text.includes(begin) || !text.includes(end)) {
    console.error('bench/fidelity: the README has no fidelity table markers');
    process.exit(2);
  }
  fs.writeFileSync(readme, text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), `${begin}\n${table}\n${end}`));
}
