import { describe, expect, it } from 'vitest';
import { checkout } from '../../test/setup.js';
import { OUTSIDE, TaskIndex, scopeKey, taskKey } from './task-index.js';

describe('TaskIndex', () => {
  it('puts request scopes first, then the tasks outside any request', () => {
    const { data } = checkout();
    expect(data.tasks.roots).toEqual([scopeKey(1), scopeKey(2), OUTSIDE]);
  });

  it("hangs a scope's first tasks under the scope when their creator is outside it", () => {
    const { data } = checkout();
    expect([...data.tasks.children(scopeKey(2))]).toEqual([5, 7]);
    expect([...data.tasks.children(OUTSIDE)]).toEqual([2]);
    expect([...data.tasks.children(taskKey(2))]).toEqual([3]);
  });

  it('falls back to the trigger when the creator is outside the scope', () => {
    const { data } = checkout();
    // Promise 6 was created by the socket (outside), chained from promise 5 (inside).
    expect([...data.tasks.children(taskKey(5))]).toEqual([6]);
  });

  it('nests a task under the task that created it, within one scope', () => {
    const tasks = TaskIndex.fromSummaries(
      [
        { id: 10, type: 'PROMISE', trigger: 1, exec: 1, scope: 4, initSeq: 2, initT: 0, firstBeforeSeq: 3, lastAfterSeq: 9, lastAfterT: 1, resolveSeq: 9, resolveT: 1, runs: 1 },
        { id: 11, type: 'Timeout', trigger: 99, exec: 10, scope: 4, initSeq: 4, initT: 0, firstBeforeSeq: null, lastAfterSeq: null, lastAfterT: null, resolveSeq: null, resolveT: null, runs: 0 },
      ],
      [{ exchange: 4, method: 'GET', url: '/', status: 200, startSeq: 1, startT: 0, endSeq: 8, endT: 1, aborted: false }],
    );
    expect([...tasks.children(taskKey(10))]).toEqual([11]);
    expect(tasks.path(taskKey(11))).toEqual([scopeKey(4), taskKey(10), taskKey(11)]);
  });

  it('finds a task by id and builds its summary back from the columns', () => {
    const { data, reader } = checkout();
    expect(data.tasks.task(7)).toEqual(reader.tasks().find((t) => t.id === 7));
    expect(data.tasks.task(70)).toBeUndefined();
  });

  it('holds the request scopes alone while the tasks load', () => {
    const { data } = checkout();
    const loading = new TaskIndex(null, data.tasks.scopes);
    expect(loading.loaded).toBe(false);
    expect(loading.roots).toEqual([scopeKey(1), scopeKey(2)]);
    expect([...loading.children(scopeKey(2))]).toEqual([]);
  });

  it('tells which nodes exist', () => {
    const { data } = checkout();
    expect([taskKey(7), taskKey(70), scopeKey(2), scopeKey(9), OUTSIDE].map((k) => data.tasks.has(k))).toEqual([true, false, true, false, true]);
  });
});
