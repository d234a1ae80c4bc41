#!/usr/bin/env node
// The README's demo: record a buggy service under traffic, replay it offline, and find
// which delivery order makes the bug — with the real `looptape` command line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExample } from './harness.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(ROOT, 'packages/cli/dist/bin.js');
const TAPE = path.join('recordings', 'demo-price-race.tape');
const SWAPPED = path.join('recordings', 'demo-price-race.swapped.json');

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

heading('1. Record: the price-race service under traffic (an upstream stub answers /stock in 5 ms, /price in 60 ms)');
console.log(`$ looptape record --force --out ${TAPE} -- node examples/price-race/server.mjs   (plus upstream and traffic)`);
const result = await runExample('price-race', { app: [process.execPath, CLI, 'record', '--force', '--out', TAPE, '--', 'node', 'examples/price-race/server.mjs'], cwd: ROOT });
for (const t of result.traffic) console.log(`  client got: ${t.method} ${t.path} -> ${t.status} ${t.body}`);
console.log(`  ${result.appStderr.trim()}`);
const widget = JSON.parse(result.traffic[0].body);
console.log(`  -> the widget quote is wrong: ${widget.qty} wanted, ${widget.available} available at ${widget.unitPrice} should cost ${Math.min(widget.qty, widget.available) * widget.unitPrice}, not ${widget.total}`);

heading('2. Replay it offline (the upstream is gone): same responses, same output, on a virtual clock');
looptape(['replay', TAPE]);

heading('3. What went wrong: the recorded order of deliveries for the widget quote');
const schedule = JSON.parse(looptape(['replay', TAPE, '--print-schedule'], { capture: true }));
const widgetDeliveries = schedule.deliveries.slice(0, 3);
for (const d of widgetDeliveries) console.log(`  ${d.t.toFixed(1).padStart(7)} ms  ${d.kind.padEnd(8)} ${d.key}`);
const [stock, price] = [schedule.deliveries[1], schedule.deliveries[2]];
schedule.deliveries[1] = price;
schedule.deliveries[2] = stock;
fs.writeFileSync(path.join(ROOT, SWAPPED), JSON.stringify(schedule, null, 2));
console.log(`\n  Replay again with GET ${new URL(price.key.split(' ')[1]).pathname} answering first (schedule saved in ${SWAPPED}):`);
looptape(['replay', TAPE, '--schedule', SWAPPED]);

heading('Explanation');
console.log(`  The quote is wrong when GET /stock answers before GET /price: the /price handler runs last and
  overwrites the stock-capped total. Replaying the recording shows it every time; swapping the two
  responses fixes it. See examples/price-race/server.fixed.mjs for the fix (combine after Promise.all).`);
