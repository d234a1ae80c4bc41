import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingReader } from '@looptape/recording';
import { describe, expect, it } from 'vitest';
import { RecordingBuilder } from '@looptape/test-support';
import { lastObserved, readTaskTable } from './tasks.js';

function table(build: (b: RecordingBuilder) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-tasks-'));
  const b = new RecordingBuilder(path.join(dir, 'x.tape'));
  build(b);
  const reader = RecordingReader.open(b.close());
  try {
    return readTaskTable(reader)!;
  } finally {
    reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('readTaskTable', () => {
  it('records who was running when a promise resolved, and how often each task ran', () => {
    let p = 0;
    let timer = { timer: 0, resource: 0 };
    const t = table((b) => {
      p = b.promise();
      timer = b.setTimeout(5);
      b.wait(5).fire(timer, () => b.resolve(p));
    });
    expect(t.resolver.get(t.row(p))).toBe(timer.resource);
    expect(t.runs.get(t.row(timer.resource))).toBe(1);
    expect(t.type(t.row(timer.resource))).toBe('Timeout');
  });

  it('counts promises chained from a promise as its observers, and tells derived promises apart', () => {
    let p = 0;
    let d = 0;
    const t = table((b) => {
      p = b.promise();
      d = b.then(p);
      b.then(p);
    });
    expect(t.observers.get(t.row(p))).toBe(2);
    expect(t.isDerived(t.row(p))).toBe(false);
    expect(t.isDerived(t.row(d))).toBe(true);
  });

  it('knows when someone last started awaiting a promise or its chain', () => {
    let p = 0;
    let late = 0;
    const t = table((b) => {
      p = b.promise();
      const c = b.then(p);
      b.wait(10);
      late = b.then(c);
    });
    expect(lastObserved(t)[t.row(p)]).toBe(t.initSeq.get(t.row(late)));
  });

  it('ends a run when the outermost callback returns', () => {
    let a = 0;
    let inner = 0;
    const t = table((b) => {
      a = b.init('TickObject');
      b.run(a, () => (inner = b.promise()));
    });
    const run = t.initRun.get(t.row(inner));
    expect(run).toBeGreaterThan(0);
    expect(t.runEnd.get(run)).toBeGreaterThan(t.initSeq.get(t.row(inner)));
  });
});
