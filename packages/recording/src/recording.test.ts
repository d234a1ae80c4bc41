import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoopEvent } from './events.js';
import { HOOK, HookBuffer, HookChunkView } from './hook-stream.js';
import { RecordingReader } from './reader.js';
import { FORMAT_VERSION } from './schema.js';
import { upgradeRecording } from './upgrade.js';
import { verifyRecording } from './verify.js';
import { RecordingWriter } from './writer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** A committed recording made before checksums (format 1). */
const FORMAT_1 = path.join(ROOT, 'recordings/examples/timeout-race.tape');

const dirs: string[] = [];
function temp(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-recording-'));
  dirs.push(dir);
  return path.join(dir, name);
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const EVENTS: LoopEvent[] = [
  { seq: 3, t: 1.5, kind: 'timer.set', task: 2, scope: null, process: 0, timer: 1, api: 'setTimeout', delay: 150, repeat: false, resource: 9, site: 'app.mjs:3:1' },
  { seq: 5, t: 151, kind: 'console', task: 9, scope: null, process: 0, stream: 'stdout', text: 'hello\n' },
] as LoopEvent[];

/** Hook records 1, 2, 4 and 6: a Timeout (9) created, run once, and a promise (10) resolved. */
function hooks(): HookBuffer {
  const b = new HookBuffer(8);
  b.push(1, 0, HOOK.init, 1, 9, 1, 1, 0);
  b.push(2, 0.5, HOOK.init, 2, 10, 1, 1, 0);
  b.push(4, 151, HOOK.before, 0, 9, 0, 0, 0);
  b.push(6, 152, HOOK.resolve, 0, 10, 0, 0, 0);
  return b;
}

describe('the hook stream', () => {
  it('reads back every field it was given, as records and as columns', () => {
    const b = hooks();
    expect([b.firstSeq(), b.lastSeq(), b.length]).toEqual([1, 6, 4]);
    const view = new HookChunkView(b.take());
    expect(b.length).toBe(0);
    expect(view.record(0)).toEqual({ seq: 1, t: 0, kind: 'task.init', typeCode: 1, task: 9, trigger: 1, exec: 1, scope: 0 });
    expect([view.seq(3), view.t(3), view.kindIndex(3), view.task(3)]).toEqual([6, 152, HOOK.resolve, 10]);
  });

  it('finds the first record at or after a seq', () => {
    const view = new HookChunkView(hooks().take());
    expect([0, 1, 3, 4, 6, 7].map((seq) => view.lowerBound(seq))).toEqual([0, 0, 2, 2, 3, 4]);
  });

  it('reads a chunk that does not start on an 8-byte boundary', () => {
    const bytes = hooks().take();
    const shifted = new Uint8Array(bytes.byteLength + 4);
    shifted.set(bytes, 4);
    expect(new HookChunkView(shifted.subarray(4)).record(3).seq).toBe(6);
  });
});

describe('the writer and the reader', () => {
  it('read back what was written: meta, events, hook chunks, types and the summaries', () => {
    const file = temp('round.tape');
    const writer = RecordingWriter.create(file);
    const b = hooks();
    writer.write(EVENTS, [{ firstSeq: b.firstSeq(), lastSeq: b.lastSeq(), count: b.length, data: b.take() }], [[1, 'Timeout'], [2, 'PROMISE']]);
    writer.close({ argv: ['node', 'app.mjs'], exitCode: 0 });
    const reader = RecordingReader.open(file);
    try {
      expect(reader.meta).toMatchObject({ argv: ['node', 'app.mjs'], exitCode: 0, formatVersion: FORMAT_VERSION, complete: true });
      expect([...reader.events({ kinds: ['timer.set', 'console'] })]).toEqual(EVENTS);
      expect([...reader.asyncTypes()]).toEqual([[1, 'Timeout'], [2, 'PROMISE']]);
      expect([...reader.hookChunks()].map((c) => c.count)).toEqual([4]);
      expect(reader.tasks()).toEqual([
        { id: 9, type: 'Timeout', trigger: 1, exec: 1, scope: null, initSeq: 1, initT: 0, firstBeforeSeq: 4, lastAfterSeq: null, lastAfterT: null, resolveSeq: null, resolveT: null, runs: 1 },
        { id: 10, type: 'PROMISE', trigger: 1, exec: 1, scope: null, initSeq: 2, initT: 0.5, firstBeforeSeq: null, lastAfterSeq: null, lastAfterT: null, resolveSeq: 6, resolveT: 152, runs: 0 },
      ]);
      expect(reader.counts()).toMatchObject({ 'task.init': 2, 'task.before': 1, 'task.resolve': 1, 'timer.set': 1, console: 1 });
    } finally {
      reader.close();
    }
    // verify counts every event: the two rows and the four hook records.
    expect(verifyRecording(file)).toMatchObject({ checksums: true, events: 6, hookChunks: 1 });
  });

  it('leaves an existing file alone unless told to replace it', () => {
    const file = temp('taken.tape');
    fs.writeFileSync(file, 'mine');
    expect(() => RecordingWriter.create(file)).toThrow(expect.objectContaining({ code: 'EXISTS' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('the migration', () => {
  it('upgrades a format-1 recording to the current format with the same events, tasks and scopes, and checksums', () => {
    const to = temp('upgraded.tape');
    upgradeRecording(FORMAT_1, to);
    const [before, after] = [RecordingReader.open(FORMAT_1), RecordingReader.open(to)];
    try {
      expect(before.meta.formatVersion).toBe(1);
      expect(after.meta.formatVersion).toBe(FORMAT_VERSION);
      expect([...after.events()]).toEqual([...before.events()]);
      expect(after.tasks()).toEqual(before.tasks());
      expect(after.scopes()).toEqual(before.scopes());
    } finally {
      before.close();
      after.close();
    }
    expect(verifyRecording(to)).toMatchObject({ formatVersion: FORMAT_VERSION, checksums: true });
  });
});
