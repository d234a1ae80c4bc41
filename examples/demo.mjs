#!/usr/bin/env node
// The README's demo: record a buggy service on a run where nothing went wrong, replay it
// offline, let `explore` find the delivery order that makes the bug, and keep that run as a
// regression test — with the real `looptape` command line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExample } from './harness.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(ROOT, 'packages/cli/dist/bin.js');
const TAPE = path.join('recordings', 'demo-price-race.tape');
const FOUND = path.join('recordings', 'demo-price-race.found.tape');

const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (t) => `\x1b[1m${t}\x1b[0m` : (t) => t;

function heading(text) {
  console.log(`\n${bold(`== ${text}`)}`);
}

function looptape(args, options = {}) {
  console.log(`$ looptape ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', stdio: options.capture ? 'pipe' : 'inherit' });
  if (run.status !== (options.expect ?? 0)) {
    if (options.capture) process.stderr.write(run.stderr);
    throw new Error(`looptape ${args[0]} exited ${run.status}, expected ${options.expect ?? 0}`);
  }
  return run.stdout;
}

heading('1. Record: the price-race service under traffic, on a day nothing went wrong (/price answers in 5 ms, /stock in 150 ms)');
console.log(`$ looptape record --force --out ${TAPE} -- node examples/price-race/server.mjs   (plus upstream and traffic)`);
const result = await runExample('price-race', { lucky: true, app: [process.execPath, CLI, 'record', '--force', '--out', TAPE, '--', 'node', 'examples/price-race/server.mjs'], cwd: ROOT });
for (const t of result.traffic) console.log(`  client got: ${t.method} ${t.path} -> ${t.status} ${t.body}`);
console.log(`  ${result.appStderr.trim()}`);
console.log('  -> every quote is right: min(qty, available) x unitPrice');

heading('2. Replay it offline (the upstream is gone): same responses, same output, on a virtual clock');
looptape(['replay', TAPE]);

heading('3. Explore other orders of the same deliveries until an answer differs from the recorded one');
fs.rmSync(path.join(ROOT, FOUND), { force: true });
looptape(['explore', TAPE, '--until', 'differs', '--out', FOUND]);

heading('4. Keep the failing run as a regression test: it fails on the buggy code, passes on the fix');
looptape(['test', FOUND], { expect: 1 });
looptape(['test', FOUND, '--', 'node', 'examples/price-race/server.fixed.mjs']);
