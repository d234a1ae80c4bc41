import { describe, expect, it } from 'vitest';
import { checkout } from '../../test/setup.js';
import { RecordingBuilder } from '@looptape/test-support';
import { open, tempDir } from '../../test/tape.js';
import { treeFromHooks } from './task-tree.js';
import { TaskIndex } from './task-index.js';

describe('treeFromHooks', () => {
  it("folds the hook stream into the same tasks as the recording's summary", () => {
    const { reader } = checkout();
    const index = new TaskIndex(treeFromHooks(reader.hookChunks(), reader.asyncTypes()), reader.scopes());
    for (const t of reader.tasks()) expect(index.task(t.id)).toEqual(t);
    expect(index.size).toBe(reader.tasks().length);
  });

  it('counts runs and keeps the first before, the last after and the resolve', () => {
    const b = new RecordingBuilder(`${tempDir()}/runs.tape`);
    b.at(1).task(9, 'Timeout').at(2).before(9).after(9).at(5).before(9).at(6).after(9).resolve(9);
    const reader = open(b.close());
    const c = treeFromHooks(reader.hookChunks(), reader.asyncTypes());
    expect(new TaskIndex(c, []).task(9)).toMatchObject({ type: 'Timeout', runs: 2, firstBeforeSeq: 2, lastAfterSeq: 5, lastAfterT: 6, resolveSeq: 6, resolveT: 6 });
    reader.close();
  });
});
