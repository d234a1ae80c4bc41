// A synthetic recording for the TUI benchmark: a server under load, written through the
// real RecordingWriter (hook stream in chunks, row events, summaries on close).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HookBuffer, RecordingReader, RecordingWriter } from '../packages/recording/dist/index.js';

/** Bumped when the recording changes, so that a cached copy is made again. */
export const GENERATOR_VERSION = 1;

/**
 * A server under load: each request arrives, creates ~80 promises (half of them run a
 * callback), sets a timer and calls an upstream; the timer fires and the response goes
 * out later, while the next requests already run. One timer of every 50 requests outlives
 * its request, so the analyser has findings to jump to.
 */
export function generate(file, target) {
  const writer = RecordingWriter.create(file, { force: true });
  const hooks = new HookBuffer(16_384);
  let rows = [];
  const chunks = [];
  let seq = 0;
  let t = 0;
  let nextId = 10;
  const types = [[1, 'PROMISE'], [2, 'Timeout'], [3, 'TCPWRAP'], [4, 'TCPSERVERWRAP']];
  const flushHooks = () => {
    if (hooks.length) chunks.push({ firstSeq: hooks.firstSeq(), lastSeq: hooks.lastSeq(), count: hooks.length, data: hooks.take() });
  };
  const hook = (kind, id, type = 0, trigger = 0, exec = 0, scope = 0) => {
    hooks.push(++seq, t, kind, type, id, trigger, exec, scope);
    if (hooks.full) flushHooks();
  };
  const row = (e) => {
    rows.push({ task: 1, scope: null, process: 0, ...e, seq: ++seq, t });
  };
  const flush = () => {
    flushHooks();
    writer.write(rows, chunks.splice(0), chunks.length === 0 && seq < 100 ? types : []);
    rows = [];
  };
  writer.write([], [], types);
  hook(0, 2, 4, 1, 1);
  row({ kind: 'http.listen', port: 3000, host: '127.0.0.1', server: 1 });
  const socket = 3;
  hook(0, socket, 3, 2, 0);
  const later = [];
  let exchange = 0;
  for (let r = 1; seq < target; r++) {
    t += 0.7;
    const scope = ++exchange;
    hook(1, socket);
    row({ kind: 'http.request', exchange: scope, direction: 'in', method: r % 3 ? 'GET' : 'POST', url: `/items/${r}`, headers: { 'content-type': 'application/json' }, body: r % 3 ? '' : JSON.stringify({ item: r, qty: 1 }), task: socket, scope });
    const root = nextId++;
    hook(0, root, 1, socket, socket, scope);
    let parent = root;
    for (let i = 0; i < 80; i++) {
      const id = nextId++;
      hook(0, id, 1, parent, i % 2 ? parent : root, scope);
      if (i % 2) {
        hook(1, id, 0, 0, 0, scope);
        hook(2, id, 0, 0, 0, scope);
      }
      hook(3, id, 0, 0, 0, scope);
      if (i % 10 === 0) parent = id;
    }
    const timer = nextId++;
    hook(0, timer, 2, root, root, scope);
    row({ kind: 'timer.set', timer: r, api: 'setTimeout', delay: 100, repeat: false, resource: timer, site: '/app/server.mjs:42:7', task: root, scope });
    const out = ++exchange;
    row({ kind: 'http.request', exchange: out, direction: 'out', method: 'GET', url: `http://127.0.0.1:4000/stock/${r}`, headers: {}, body: '', client: 'fetch', task: root, scope });
    hook(2, socket);
    later.push({ due: t + 3, run: () => {
      row({ kind: 'http.response', exchange: out, direction: 'out', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: r, stock: r % 7 }), task: 0, scope });
      hook(3, root, 0, 0, 0, scope);
      row({ kind: 'console', stream: 'stdout', text: `request ${r} done\n`, task: root, scope });
      row({ kind: 'http.response', exchange: scope, direction: 'in', status: r % 97 ? 200 : 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, id: r }), task: root, scope });
    } });
    const orphan = r % 50 === 0;
    later.push({ due: t + (orphan ? 100 : 2), run: () => {
      if (!orphan) return row({ kind: 'timer.clear', timer: r, task: root, scope });
      row({ kind: 'timer.fire', timer: r, task: timer, scope });
      hook(1, timer, 0, 0, 0, scope);
      hook(2, timer, 0, 0, 0, scope);
    } });
    later.sort((a, b) => a.due - b.due);
    while (later.length && later[0].due <= t) later.shift().run();
    if (rows.length > 5000) flush();
  }
  for (const job of later) {
    t = Math.max(t, job.due);
    job.run();
  }
  row({ kind: 'process.exit', code: 0 });
  flush();
  writer.close({ argv: ['node', 'synthetic-server.mjs'], durationMs: t, exitCode: 0, bench: GENERATOR_VERSION, nodeVersion: process.version });
  return seq;
}

/**
 * The synthetic recording of about `events` events, cached in the OS temp folder (made again
 * when `fresh`, or when the generator changed): `{ file, generatedMs }`, null when cached.
 */
export function cachedRecording(events, fresh = false) {
  const file = path.join(os.tmpdir(), `looptape-bench-tui-${events}.tape`);
  if (!fresh && fs.existsSync(file)) {
    const reader = RecordingReader.open(file);
    const ok = reader.meta.bench === GENERATOR_VERSION && reader.meta.complete;
    reader.close();
    if (ok) return { file, generatedMs: null };
  }
  const start = performance.now();
  generate(file, events);
  return { file, generatedMs: performance.now() - start };
}
