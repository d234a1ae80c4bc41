#!/usr/bin/env node
// Benchmark of `looptape report`'s analysis: builds a synthetic recording of about a
// million events shaped like a server's (mostly promise hook records: ~80 events per
// request, a few requests with orphaned timers or unawaited calls), then times
// analyze() on it. Prints a readable table and, last, one JSON line.
//   node bench/report.mjs [--events N] [--runs R]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RecordingReader } from '../packages/recording/dist/index.js';
import { analyze } from '../packages/analysis/dist/index.js';
import { RecordingBuilder } from '../packages/test-support/dist/index.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } } });
const TARGET_EVENTS = Number(values.events);
const RUNS = Number(values.runs);
const AWAITS = 10;

/** One request: the handler awaits AWAITS times, calls an upstream, waits on a timer, answers. */
function request(b, i) {
  let step = 0;
  let call = 0;
  let upstream = 0;
  let timer;
  const req = b.inbound('POST', `/orders/${i}`, () => {
    b.promise(); // the handler's own promise
    step = b.then(b.promise());
  });
  for (let k = 0; k < AWAITS; k++) {
    const next = { p: 0, d: 0 };
    b.wait(0.05).run(step, () => {
      if (k === 3) upstream = b.outbound('GET', `http://stock.test/items/${i}`);
      if (k === 4) b.answer(upstream, 200, req);
      if (k === 5) timer = b.setTimeout(5, 'app.mjs:40:5');
      if (k === 7 && i % 100 === 0) call = b.promise(); // BUG: audit(order) not awaited
      next.p = b.promise();
      next.d = b.then(next.p);
      b.resolve(next.p);
    });
    b.resolve(step);
    step = next.d;
  }
  b.wait(1).fire(timer);
  b.run(step, () => b.respond(req));
  if (i % 50 === 0) {
    b.run(step, () => (timer = b.setTimeout(20, 'app.mjs:52:7')));
    b.wait(20).fire(timer); // BUG: fires after the response
  }
  if (call) b.resolve(call);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-report-'));
const file = path.join(dir, 'bench.tape');
try {
  let started = performance.now();
  const b = new RecordingBuilder(file);
  b.listen();
  let requests = 0;
  const perRequest = 8 + AWAITS * 7 + 2;
  while (requests * perRequest < TARGET_EVENTS) request(b, requests++);
  b.exit(0);
  b.close();
  const buildMs = performance.now() - started;

  const reader = RecordingReader.open(file);
  const counts = reader.counts();
  const events = Object.values(counts).reduce((a, n) => a + n, 0);
  const hookEvents = ['task.init', 'task.before', 'task.after', 'task.resolve'].reduce((a, k) => a + (counts[k] ?? 0), 0);
  const times = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    started = performance.now();
    result = analyze(reader, { slowMs: 1000 });
    times.push(performance.now() - started);
  }
  reader.close();
  const sorted = [...times].sort((x, y) => x - y);
  const byKind = {};
  for (const f of result.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  const summary = {
    bench: 'report.analyze', events, hookEvents, requests, sizeMB: +(fs.statSync(file).size / 2 ** 20).toFixed(1),
    buildMs: Math.round(buildMs), runs: RUNS, medianMs: Math.round(sorted[sorted.length >> 1]), minMs: Math.round(sorted[0]),
    eventsPerSecond: Math.round(events / (sorted[sorted.length >> 1] / 1000)), targetMs: 5000, findings: byKind,
    heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
  const rows = [
    ['events', `${summary.events} (${summary.hookEvents} task hooks)`], ['requests', summary.requests], ['file', `${summary.sizeMB} MB`],
    ['analyze (median of runs)', `${summary.medianMs} ms (target < ${summary.targetMs} ms)`], ['analyze (best)', `${summary.minMs} ms`],
    ['throughput', `${summary.eventsPerSecond} events/s`], ['findings', JSON.stringify(byKind)], ['heap after', `${summary.heapMB} MB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${String(k).padEnd(width)}  ${v}`).join('\n'));
  console.log(JSON.stringify(summary));
  process.exitCode = summary.medianMs < summary.targetMs ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
