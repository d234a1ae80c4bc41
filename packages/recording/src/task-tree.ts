import type { TaskTable } from './task-table.js';

/**
 * The parent rule, the one every reader uses: a task's parent is the task that created it
 * (the execution id at init), else its trigger (for a promise, the promise it chains from),
 * when that task is known, was created earlier and belongs to the same request scope.
 * -1 when none: the task then sits directly under its request scope (or the program).
 */
export function parentRow(table: TaskTable, row: number): number {
  for (const candidate of [table.exec.get(row), table.trigger.get(row)]) {
    const p = table.row(candidate);
    if (p >= 0 && p !== row && table.initSeq.get(p) < table.initSeq.get(row) && table.scope.get(p) === table.scope.get(row)) return p;
  }
  return -1;
}

/** Rows from the outermost ancestor inside the task's scope down to `row` (at most `maxHops` up). */
export function ancestry(table: TaskTable, row: number, maxHops = 256): number[] {
  const rows = [row];
  for (let p = parentRow(table, row); p >= 0 && rows.length <= maxHops; p = parentRow(table, p)) rows.push(p);
  return rows.reverse();
}

/** The task table with its tree worked out: parents, children, rows by id. Plain typed arrays, transferable. */
export interface TaskLinks {
  /** Row of the parent task (see parentRow), -1 when none. */
  parent: Int32Array;
  /** Children ids of row r: childIds[childStart[r] .. childStart[r + 1]), in creation order. */
  childStart: Int32Array;
  childIds: Int32Array;
}

/** Links every task to its parent (parentRow) and lists each task's children. */
export function linkTasks(table: TaskTable): TaskLinks {
  const n = table.count;
  const parent = new Int32Array(n);
  const childStart = new Int32Array(n + 1);
  const childIds = new Int32Array(n);
  const childCount = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    parent[r] = parentRow(table, r);
    if (parent[r] >= 0) childCount[parent[r]]++;
  }
  for (let r = 0; r < n; r++) childStart[r + 1] = childStart[r] + childCount[r];
  const fill = childStart.slice(0, n);
  for (let r = 0; r < n; r++) if (parent[r] >= 0) childIds[fill[parent[r]]++] = table.ids.get(r);
  return { parent, childStart, childIds };
}

/** What names a timer's task: the API that set it and its delay. */
export interface TimerName {
  api: string;
  delay: number;
}

/**
 * A task's name for people, the same in the tree, the findings, the events and the
 * divergences: `setTimeout 150ms`, `setInterval 50ms`, `setImmediate` for a timer the
 * program set, else its async resource type (`PROMISE`, `TickObject`…).
 */
export function taskName(type: string, timer?: TimerName): string {
  if (!timer) return type;
  return timer.api === 'setImmediate' ? 'setImmediate' : `${timer.api} ${timer.delay}ms`;
}
