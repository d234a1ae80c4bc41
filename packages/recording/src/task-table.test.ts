import { describe, expect, it } from 'vitest';
import { HOOK, HookBuffer, HookChunkView } from './hook-stream.js';
import { TaskTable, foldHooks, taskSummaryAt } from './task-table.js';
import { ancestry, linkTasks, parentRow, taskName } from './task-tree.js';

const TYPES = new Map([[0, 'PROMISE'], [1, 'Timeout']]);

/** Hook records as the recorder writes them: [kind, task, type, trigger, exec, scope], seq and t from 1. */
function chunk(records: [number, number, number?, number?, number?, number?][]): HookChunkView {
  const buffer = new HookBuffer(records.length);
  records.forEach(([kind, task, type = 0, trigger = 0, exec = 0, scope = 0], i) => buffer.push(i + 1, (i + 1) * 10, kind, type, task, trigger, exec, scope));
  return new HookChunkView(buffer.take());
}

describe('foldHooks', () => {
  it('counts runs, keeps the first before, the last after and the last resolve, and says 0 for never', () => {
    const table = foldHooks([chunk([[HOOK.init, 5, 1], [HOOK.init, 6], [HOOK.before, 5], [HOOK.after, 5], [HOOK.before, 5], [HOOK.after, 5], [HOOK.resolve, 6], [HOOK.resolve, 6]])], TYPES);
    const timer = table.row(5);
    expect([table.type(timer), table.runs.get(timer), table.firstBeforeSeq.get(timer), table.lastAfterSeq.get(timer), table.lastAfterT.get(timer)]).toEqual(['Timeout', 2, 3, 6, 60]);
    expect([table.resolveSeq.get(table.row(6)), table.resolveSeq.get(timer), table.firstBeforeSeq.get(table.row(6))]).toEqual([8, 0, 0]);
    expect(taskSummaryAt(table, table.row(6))).toMatchObject({ scope: null, firstBeforeSeq: null, lastAfterT: null, resolveSeq: 8, resolveT: 80 });
  });

  it('skips hooks of tasks whose init it never saw, and still hands them to an extension', () => {
    const seen: number[] = [];
    const table = foldHooks([chunk([[HOOK.before, 9], [HOOK.init, 2]])], TYPES, { before: (row, task) => seen.push(row, task) });
    expect([table.count, table.row(9), seen]).toEqual([1, -1, [-1, 9]]);
  });

  it('hands its columns to another table without copying them', () => {
    const table = foldHooks([chunk([[HOOK.init, 3, 1, 1, 1, 4], [HOOK.resolve, 3]])], TYPES);
    const data = table.data();
    const copy = new TaskTable(structuredClone(data));
    expect(taskSummaryAt(copy, copy.row(3))).toEqual(taskSummaryAt(table, table.row(3)));
    expect(new TaskTable(data).ids.values().buffer).toBe(data.columns.ids.buffer);
  });
});

describe('the parent rule', () => {
  it('takes the creator, else the trigger, and never a task of another request scope', () => {
    // 1 and 2 in scope 7; 3 created by 1; 4 created outside (exec 99) but chained from 2; 5 created by 1 in scope 8.
    const table = foldHooks([chunk([[HOOK.init, 1, 0, 0, 0, 7], [HOOK.init, 2, 0, 0, 0, 7], [HOOK.init, 3, 0, 2, 1, 7], [HOOK.init, 4, 0, 2, 99, 7], [HOOK.init, 5, 0, 1, 1, 8]])], TYPES);
    const parent = (id: number) => parentRow(table, table.row(id));
    expect([parent(3), parent(4), parent(5), parent(1)]).toEqual([table.row(1), table.row(2), -1, -1]);
    expect(ancestry(table, table.row(3)).map((r) => table.ids.get(r))).toEqual([1, 3]);
    const links = linkTasks(table);
    expect([...links.childIds.subarray(links.childStart[table.row(1)], links.childStart[table.row(1) + 1])]).toEqual([3]);
  });
});

describe('taskName', () => {
  it('names a timer by the API that set it and its delay, anything else by its type', () => {
    expect([taskName('Timeout', { api: 'setTimeout', delay: 150 }), taskName('Immediate', { api: 'setImmediate', delay: 0 }), taskName('PROMISE')]).toEqual(['setTimeout 150ms', 'setImmediate', 'PROMISE']);
  });
});
