// What the export tests share: the real CLI (from the recorder's test support), and what a
// recording holds, counted from `looptape events` and `looptape report`, to compare exports with.
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { EVENT_KINDS, isDelivery, type LoopEvent } from '@looptape/recording';
import { BIN, events, killAll, looptape, node, removeTemps, ROOT, tempDir } from '../../recorder/test/support/looptape.js';

export { BIN, killAll, looptape, node, removeTemps, ROOT, sha256, tempDir, lines, serve, fixture, type Finished, type TestServer } from '../../recorder/test/support/looptape.js';

/** A committed recording explore found (format 2, with checksums). */
export const FOUND = path.join(ROOT, 'recordings/examples/price-race.found.tape');

/** A temporary folder for one test file, and the hooks that end its processes and remove it: call at the top of the file. */
export function useTempDir(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
  });
  afterEach(() => killAll());
  afterAll(() => removeTemps());
  return () => dir;
}

/** One committed recording of each example (the buggy run), and one that explore found. */
export const RECORDINGS = ['price-race', 'double-book', 'timeout-race', 'fire-and-forget', 'lost-update', 'double-charge', 'late-body', 'retry-backoff']
  .map((name) => `recordings/examples/${name}.tape`)
  .concat('recordings/examples/price-race.found.tape');

export interface Contents {
  all: LoopEvent[];
  /** Exchange ids of every HTTP request, inbound and outbound. */
  exchanges: number[];
  /** Task ids, from their task.init events. */
  tasks: number[];
  /** Seqs of the deliveries. */
  deliveries: number[];
  /** Seqs of the findings `report` names. */
  findings: number[];
  /** Inbound requests: the request scopes. */
  scopes: Array<{ exchange: number; method: string; url: string }>;
}

/** What a recording holds, as the CLI tells it. */
export async function contents(file: string): Promise<Contents> {
  // Every kind, so the task tree too: a lean recording's, derived by replaying it, as export and view read it.
  const all = await events(file, ...EVENT_KINDS.flatMap((kind) => ['--kind', kind]));
  const report = await looptape(['report', file, '--json']);
  if (report.code !== 0 && report.code !== 1) throw new Error(`looptape report ${file} exited ${report.code}: ${report.err}`);
  const requests = all.filter((e) => e.kind === 'http.request');
  return {
    all,
    exchanges: requests.map((e) => e.exchange),
    tasks: all.filter((e) => e.kind === 'task.init').map((e) => e.task),
    deliveries: all.filter(isDelivery).map((e) => e.seq),
    findings: (JSON.parse(report.out) as { findings: Array<{ seq: number }> }).findings.map((f) => f.seq),
    scopes: requests.filter((e) => e.direction === 'in').map((e) => ({ exchange: e.exchange, method: e.method, url: e.url })),
  };
}

let exports = 0;

/** `looptape export FILE --format F --out DIR/NAME-N.F` (N: a new file each time); fails the test when it does not exit 0. */
export async function exportTo(file: string, format: string, dir: string): Promise<string> {
  const out = path.join(dir, `${path.basename(file, '.tape')}-${++exports}.${format}`);
  const run = await looptape(['export', path.resolve(ROOT, file), '--format', format, '--out', out]);
  if (run.code !== 0) throw new Error(`looptape export ${file} --format ${format} exited ${run.code}: ${run.err}`);
  return out;
}

/**
 * Records an example program under its traffic (examples/harness.mjs) with the real CLI into
 * DIR/NAME[flags].tape, and returns its path.
 */
export async function recordExample(name: string, dir: string, flags: string[] = []): Promise<string> {
  const out = path.join(dir, `${name}${flags.join('')}.tape`);
  const run = await node(['examples/harness.mjs', name, '--', process.execPath, BIN, 'record', ...flags, '--out', out, '--', process.execPath, `examples/${name}/server.mjs`]);
  if (run.code !== 0) throw new Error(`recording examples/${name} failed (exit ${run.code}): ${run.err}${run.out}`);
  return out;
}
