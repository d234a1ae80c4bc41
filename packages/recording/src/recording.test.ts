import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoopEvent } from './events.js';
import { HOOK, HookBuffer, HookChunkView } from './hook-stream.js';
import { RecordingReader } from './reader.js';
import Database from 'better-sqlite3';
import { FORMAT_VERSION, GROUP_ROWS } from './schema.js';
import { upgradeRecording } from './upgrade.js';
import { verifyRecording } from './verify.js';
import { RecordingWriter } from './writer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** A committed recording made before checksums (format 1). */
const FORMAT_1 = path.join(ROOT, 'recordings/examples/timeout-race.tape');
/** A committed recording with a checksum per `events` row (format 2). */
const FORMAT_2 = path.join(ROOT, 'recordings/examples/double-charge.tape');

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

  it('reads a format-2 recording as it is, checking its rows one by one, and upgrades it', () => {
    const to = temp('upgraded.tape');
    upgradeRecording(FORMAT_2, to);
    const [before, after] = [RecordingReader.open(FORMAT_2), RecordingReader.open(to)];
    try {
      expect(before.meta.formatVersion).toBe(2);
      expect(after.meta).toMatchObject({ formatVersion: FORMAT_VERSION, minReaderVersion: FORMAT_VERSION });
      expect([...after.events()]).toEqual([...before.events()]);
      expect(after.tasks()).toEqual(before.tasks());
    } finally {
      before.close();
      after.close();
    }
    expect(verifyRecording(FORMAT_2)).toMatchObject({ formatVersion: 2, checksums: true });
    expect(verifyRecording(to)).toMatchObject({ formatVersion: FORMAT_VERSION, checksums: true });
    // A changed row of a format-2 file is still named by its own checksum.
    const damaged = temp('damaged-2.tape');
    fs.copyFileSync(FORMAT_2, damaged);
    const seq = changeRow(damaged);
    expect(() => verifyRecording(damaged)).toThrow(`events row seq ${seq}`);
  });
});

/** A console event at each seq. */
function consoleEvents(seqs: number[]): LoopEvent[] {
  return seqs.map((seq) => ({ seq, t: seq / 2, kind: 'console', task: 1, scope: seq % 3 ? 7 : null, process: 0, stream: 'stdout', text: `line ${seq} ü\n` }) as LoopEvent);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Changes one character of one stored event (behind the checksums' back); returns its seq. */
function changeRow(file: string, seq?: number): number {
  const db = new Database(file);
  try {
    const row = db.prepare(seq === undefined ? 'SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET 3' : 'SELECT seq FROM events WHERE seq = ?').get(...(seq === undefined ? [] : [seq])) as { seq: number };
    db.prepare("UPDATE events SET data = replace(data, '\"', ' \"') WHERE seq = ?").run(row.seq);
    return row.seq;
  } finally {
    db.close();
  }
}

describe('write groups (format 3)', () => {
  it('checks events by write group: a large write makes several, and a read of one event reads its group', () => {
    const file = temp('groups.tape');
    const writer = RecordingWriter.create(file);
    const n = GROUP_ROWS * 2 + 10;
    writer.write(consoleEvents(range(1, n)));
    writer.close();
    const reader = RecordingReader.open(file);
    try {
      expect([...reader.events()].map((e) => e.seq)).toEqual(range(1, n));
      expect([...reader.events({ fromSeq: GROUP_ROWS + 5, toSeq: GROUP_ROWS + 6 })].map((e) => e.seq)).toEqual([GROUP_ROWS + 5, GROUP_ROWS + 6]);
    } finally {
      reader.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT id, events, first_seq AS first, last_seq AS last FROM flushes').all()).toEqual([
      { id: 1, events: GROUP_ROWS, first: 1, last: GROUP_ROWS },
      { id: 2, events: GROUP_ROWS, first: GROUP_ROWS + 1, last: GROUP_ROWS * 2 },
      { id: 3, events: 10, first: GROUP_ROWS * 2 + 1, last: n },
    ]);
    db.close();
  });

  it('names the write group and its seq range of a changed or missing row, and still reads other groups', () => {
    const file = temp('changed.tape');
    const writer = RecordingWriter.create(file);
    writer.write(consoleEvents(range(1, 10)));
    writer.write(consoleEvents(range(11, 20)));
    writer.close();
    changeRow(file, 14);
    const reader = RecordingReader.open(file);
    try {
      expect(() => [...reader.events()]).toThrow('is damaged: events of flush 2 (seq 11–20) fail their checksum');
      expect(() => [...reader.events({ fromSeq: 14, toSeq: 14 })]).toThrow('events of flush 2 (seq 11–20) fail their checksum');
      // The damaged group's rows are never handed out, and the intact group reads as it was.
      expect([...reader.events({ fromSeq: 3, toSeq: 4 })].map((e) => e.seq)).toEqual([3, 4]);
    } finally {
      reader.close();
    }
    const other = temp('missing.tape');
    const again = RecordingWriter.create(other);
    again.write(consoleEvents(range(1, 10)));
    again.close();
    const db = new Database(other);
    db.prepare('DELETE FROM events WHERE seq = 5').run();
    db.close();
    expect(() => verifyRecording(other)).toThrow('events of flush 1 (seq 1–10) hold 9 rows where 10 were written');
  });

  it('reads groups that interleave in seq order (an event whose seq was taken before an earlier write)', () => {
    const file = temp('interleaved.tape');
    const writer = RecordingWriter.create(file);
    // Given out of order, a write still checksums its rows in seq order, as they are read.
    writer.write(consoleEvents([2, 1, 5, 4, 6]));
    writer.write(consoleEvents([3, 7, 8]));
    writer.close();
    const reader = RecordingReader.open(file);
    try {
      expect([...reader.events()].map((e) => e.seq)).toEqual(range(1, 8));
      expect([...reader.events({ fromSeq: 3, toSeq: 3 })].map((e) => e.seq)).toEqual([3]);
      expect([...reader.events({ fromSeq: 5, toSeq: 7 })].map((e) => e.seq)).toEqual([5, 6, 7]);
    } finally {
      reader.close();
    }
    expect(verifyRecording(file)).toMatchObject({ events: 8 });
    // The late event is a group of its own: the reader holds back no more than its own group.
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT id, events, first_seq AS first, last_seq AS last FROM flushes').all()).toEqual([
      { id: 1, events: 5, first: 1, last: 6 },
      { id: 2, events: 2, first: 7, last: 8 },
      { id: 3, events: 1, first: 3, last: 3 },
    ]);
    db.close();
  });

  it('checks a group again after a secret in it was replaced', () => {
    const file = temp('rewritten.tape');
    const writer = RecordingWriter.create(file);
    writer.write(consoleEvents(range(1, 5)));
    writer.rewrite([['line 3', 'line <redacted>']]);
    writer.close();
    const reader = RecordingReader.open(file);
    try {
      expect([...reader.events()].map((e) => (e as { text: string }).text)[2]).toBe('line <redacted> ü\n');
    } finally {
      reader.close();
    }
    expect(verifyRecording(file)).toMatchObject({ events: 5 });
  });
});
