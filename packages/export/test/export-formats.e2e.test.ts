/**
 * Each export keeps every exchange and every task of the recording, and is what its format
 * says: HAR 1.2 checked by har-validator, Trace Event JSON by its schema
 * (docs/trace-event.schema.json) and its pairing rules, the Perfetto trace decoded back with
 * protobufjs and checked the way Perfetto reads it (slices nest on each track).
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import harValidator from 'har-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trace } from '../src/perfetto-schema.js';
import { contents, exportTo, RECORDINGS, recordExample, ROOT, useTempDir, type Contents } from './support.js';

const validateTrace = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/trace-event.schema.json'), 'utf8')));

const dir = useTempDir();

interface HarEntry {
  request: { method: string; url: string; headers: Array<{ name: string; value: string }> };
  response: { status: number; content: { text?: string } };
  time: number;
  timings: { wait: number; receive: number };
  _looptape: { exchange: number; direction: string };
}

/** Fresh recordings of an example, made by the tests: lean (its tree derived by replaying it), and with the tree recorded live. */
const FRESH: Record<string, string[]> = { 'a fresh recording of examples/price-race': [], 'a fresh recording of examples/price-race --tree': ['--tree'] };

describe.each([...RECORDINGS, ...Object.keys(FRESH)])('looptape export %s', (name) => {
  let file: string;
  let recorded: Contents;
  beforeAll(async () => {
    file = FRESH[name] ? await recordExample('price-race', dir(), FRESH[name]) : name;
    recorded = await contents(file);
  });

  it('--format har is HAR 1.2 with every inbound and outbound exchange, its status, headers and timings', async () => {
    const har = JSON.parse(fs.readFileSync(await exportTo(file, 'har', dir()), 'utf8')) as { log: { version: string; entries: HarEntry[] } };
    await harValidator.har(har);
    // The validator does look: an entry without its method is refused.
    const broken = structuredClone(har) as { log: { entries: Array<{ request: Partial<HarEntry['request']> }> } };
    if (broken.log.entries.length) delete broken.log.entries[0].request.method;
    if (broken.log.entries.length) await expect(harValidator.har(broken)).rejects.toThrow();
    expect(har.log.version).toBe('1.2');
    const entries = har.log.entries;
    expect(entries.map((e) => e._looptape.exchange).sort((a, b) => a - b)).toEqual([...recorded.exchanges].sort((a, b) => a - b));
    for (const e of recorded.all) {
      if (e.kind !== 'http.response') continue;
      const entry = entries.find((x) => x._looptape.exchange === e.exchange)!;
      expect(entry.response.status).toBe(e.status);
      expect(entry.response.content.text).toBe(e.body);
      const request = recorded.all.find((r) => r.kind === 'http.request' && r.exchange === e.exchange)!;
      expect(entry.timings.wait).toBeCloseTo(e.t - request.t, 3);
      expect(entry.time).toBeGreaterThanOrEqual(entry.timings.wait);
    }
    for (const scope of recorded.scopes) {
      const entry = entries.find((x) => x._looptape.exchange === scope.exchange)!;
      expect(entry._looptape.direction).toBe('in');
      expect(new URL(entry.request.url).pathname + new URL(entry.request.url).search).toBe(scope.url);
    }
  });

  it('--format chrome-trace matches the Trace Event schema, with a slice per task, a flow per trigger edge, and every delivery and finding', async () => {
    const trace = JSON.parse(fs.readFileSync(await exportTo(file, 'chrome-trace', dir()), 'utf8')) as { traceEvents: Array<Record<string, any>> };
    expect(validateTrace(trace), JSON.stringify(validateTrace.errors?.slice(0, 3))).toBe(true);
    const of = (ph: string, cat?: string) => trace.traceEvents.filter((e) => e.ph === ph && (cat === undefined || e.cat === cat));
    expect(of('b').map((e) => e.id).sort((a, b) => a - b)).toEqual([...recorded.tasks].sort((a, b) => a - b));
    expect(of('e').map((e) => e.id).sort((a, b) => a - b)).toEqual(of('b').map((e) => e.id).sort((a, b) => a - b));
    for (const begin of of('b')) expect(of('e').find((end) => end.id === begin.id)!.ts).toBeGreaterThanOrEqual(begin.ts);
    expect(of('s').map((e) => e.id)).toEqual(of('f').map((e) => e.id));
    expect(of('s').length > 0).toBe(recorded.tasks.length > 0);
    expect(of('i', 'delivery').map((e) => e.args.seq)).toEqual(recorded.deliveries);
    expect(of('i', 'finding').map((e) => e.args.seq).sort((a, b) => a - b)).toEqual([...recorded.findings].sort((a, b) => a - b));
    const tracks = of('M').filter((e) => e.name === 'process_name').map((e) => e.args.name);
    for (const scope of recorded.scopes) expect(tracks).toContain(`#${scope.exchange} ${scope.method} ${scope.url}`);
  });

  it('--format perfetto decodes as a Perfetto Trace with a slice per task, nested on every track, and every delivery and finding', async () => {
    const trace = Trace.toObject(Trace.decode(fs.readFileSync(await exportTo(file, 'perfetto', dir()))), { longs: Number, enums: String }) as { packet: Array<Record<string, any>> };
    const descriptors = new Set(trace.packet.filter((p) => p.trackDescriptor).map((p) => p.trackDescriptor.uuid));
    const events = trace.packet.filter((p) => p.trackEvent);
    for (const p of events) expect(descriptors.has(p.trackEvent.trackUuid)).toBe(true);
    const begins = events.filter((p) => p.trackEvent.type === 'TYPE_SLICE_BEGIN');
    const task = (p: Record<string, any>) => p.trackEvent.debugAnnotations.find((a: { name: string }) => a.name === 'task').intValue;
    expect(begins.map(task).sort((a, b) => a - b)).toEqual([...recorded.tasks].sort((a, b) => a - b));
    expectNested(events);
    const instants = (category: string) => events.filter((p) => p.trackEvent.type === 'TYPE_INSTANT' && p.trackEvent.categories[0] === category);
    const seqOf = (p: Record<string, any>) => p.trackEvent.debugAnnotations.find((a: { name: string }) => a.name === 'seq').intValue;
    expect(instants('delivery').map(seqOf)).toEqual(recorded.deliveries);
    expect(instants('finding').map(seqOf).sort((a, b) => a - b)).toEqual([...recorded.findings].sort((a, b) => a - b));
    const flowsOut = begins.flatMap((p) => p.trackEvent.flowIds ?? []);
    const flowsIn = begins.flatMap((p) => p.trackEvent.terminatingFlowIds ?? []);
    expect(flowsOut.sort()).toEqual(flowsIn.sort());
  });
});

/** Perfetto reads begin/end pairs per track as a stack: after sorting by time, every end closes the last open slice. */
function expectNested(events: Array<Record<string, any>>): void {
  const byTrack = new Map<number, Array<[number, number]>>();
  for (const p of events) {
    const type = p.trackEvent.type;
    if (type !== 'TYPE_SLICE_BEGIN' && type !== 'TYPE_SLICE_END') continue;
    const list = byTrack.get(p.trackEvent.trackUuid) ?? [];
    list.push([p.timestamp ?? 0, type === 'TYPE_SLICE_BEGIN' ? 1 : -1]);
    byTrack.set(p.trackEvent.trackUuid, list);
  }
  for (const list of byTrack.values()) {
    let open = 0;
    for (const [, step] of list.sort((a, b) => a[0] - b[0])) {
      open += step;
      expect(open).toBeGreaterThanOrEqual(0);
      expect(open).toBeLessThanOrEqual(1);
    }
    expect(open).toBe(0);
  }
}
