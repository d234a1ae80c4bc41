import { describe, expect, it } from 'vitest';
import { CHECKOUT, CHECKOUT_REPORT, ORPHAN } from '../../test/checkout.js';
import { checkout } from '../../test/setup.js';
import { openInspectData, withTasks } from '../data/inspect-data.js';
import { treeFromSummaries } from '../data/task-tree.js';
import { scopeKey, taskKey } from '../data/task-index.js';
import { treeRows } from './tree.js';
import { initialState, update, withTasksLoaded } from './update.js';

function loading() {
  const { reader } = checkout();
  const data = openInspectData(reader, { tasks: 'later' });
  return { reader, data, state: initialState(data, { width: 80, height: 24, report: CHECKOUT_REPORT }) };
}

describe('while the task tree loads', () => {
  it('shows the requests alone', () => {
    const { data, state } = loading();
    expect(data.tasks.loaded).toBe(false);
    expect(treeRows(data, state).map((r) => r.key)).toEqual([scopeKey(1), scopeKey(2)]);
  });

  it("selects a finding's request now and its task once the tree is there", () => {
    const { reader, data, state } = loading();
    const jumped = update(state, { type: 'seek', target: 'finding', dir: 1 }, data);
    expect(jumped.cursor).toBe(CHECKOUT.timerFire);
    expect(jumped.selected).toBe(scopeKey(2));
    const loaded = withTasks(data, treeFromSummaries(reader.tasks()));
    const after = withTasksLoaded(jumped, loaded);
    expect(after.selected).toBe(taskKey(7));
    expect(after.findings.of(taskKey(7))).toHaveLength(1);
  });

  it('selects the request of a finding whose task turns out to live outside it', () => {
    const { reader } = checkout();
    const data = openInspectData(reader, { tasks: 'later' });
    const report = { findings: [{ ...ORPHAN, task: 3 }], missing: [] };
    const jumped = update(initialState(data, { width: 80, height: 24, report }), { type: 'seek', target: 'finding', dir: 1 }, data);
    expect(jumped.want).toBe(taskKey(3));
    expect(withTasksLoaded(jumped, withTasks(data, treeFromSummaries(reader.tasks()))).selected).toBe(scopeKey(2));
  });

  it("selects the cursor event's task once the tree is there", () => {
    const { reader, data, state } = loading();
    const stepped = [1, 2, 3].reduce((s) => update(s, { type: 'seek', target: 'delivery', dir: 1 }, data), state);
    const after = withTasksLoaded(stepped, withTasks(data, treeFromSummaries(reader.tasks())));
    expect(stepped.cursor).toBe(CHECKOUT.stockResponse);
    expect(after.selected).toBe(scopeKey(2));
    const onTask = withTasksLoaded(update(stepped, { type: 'step', by: 1 }, data), withTasks(data, treeFromSummaries(reader.tasks())));
    expect(onTask.selected).toBe(taskKey(6));
  });
});
