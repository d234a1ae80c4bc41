import type { InspectData } from '../data/inspect-data.js';
import { foldKey, scopeKey, taskKey, type NodeKey } from '../data/task-index.js';
import type { InspectState } from './state.js';
import { foldGroup } from './fold.js';
import { taskState } from './task-state.js';
import { cursorView, memoLast } from './view.js';

export interface TreeRow {
  key: NodeKey;
  depth: number;
  /** Has children that exist at the cursor. */
  expandable: boolean;
  open: boolean;
  /** A fold: the anonymous promises it stands for, and the node they are under. */
  fold?: { members: readonly number[]; parent: NodeKey };
}

/** Sibling promises in a row at least this many fold into one row. */
export const FOLD_MIN = 3;

/**
 * The rows of the task tree at the cursor: request scopes (and the tasks outside any
 * request) at the top, then the open nodes' children that exist at the cursor.
 */
export function treeRows(data: InspectData, state: InspectState): TreeRow[] {
  return cachedRows(data, state.cursor, state.expanded, state.findingsOnly, state.hideSettled, state.findings);
}

const cachedRows = memoLast((data: InspectData, cursor: number, expanded: InspectState['expanded'], findingsOnly: boolean, hideSettled: boolean, findings: InspectState['findings']): TreeRow[] => {
  const { ctx } = cursorView(data, cursor);
  const { tasks } = data;
  const rows: TreeRow[] = [];
  const shown = (id: number) => {
    if (findingsOnly && findings.within(taskKey(id)) === 0) return false;
    return !(hideSettled && taskState(tasks.task(id)!, ctx) === 'settled');
  };
  const bornChildren = (key: NodeKey) => {
    const kids = tasks.children(key);
    return kids.length > 0 && tasks.initSeq(kids[0]) <= cursor;
  };
  // A promise with nothing to say (no finding in it) can go in a fold, with those like it.
  const group = (id: number) => (findings.within(taskKey(id)) === 0 ? foldGroup(data, id) : null);
  const visit = (key: NodeKey, depth: number) => {
    const open = expanded.has(key);
    rows.push({ key, depth, expandable: bornChildren(key), open });
    if (!open) return;
    const kids: number[] = [];
    for (const id of tasks.children(key)) {
      if (tasks.initSeq(id) > cursor) break;
      if (shown(id)) kids.push(id);
    }
    for (const run of runs(kids, group)) {
      if (run.length < FOLD_MIN) {
        for (const id of run) visit(taskKey(id), depth + 1);
        continue;
      }
      const fold = foldKey(run[0]);
      const opened = expanded.has(fold);
      rows.push({ key: fold, depth: depth + 1, expandable: true, open: opened, fold: { members: run, parent: key } });
      if (opened) for (const id of run) visit(taskKey(id), depth + 2);
    }
  };
  for (const root of tasks.roots) {
    if (findingsOnly && findings.within(root) === 0) continue;
    visit(root, 0);
  }
  return rows;
});

/** Runs of consecutive ids in the same fold group, and ids in none alone, in order. */
function runs(ids: readonly number[], groupOf: (id: number) => string | null): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  let current: string | null = null;
  for (const id of ids) {
    const g = groupOf(id);
    if (g !== null && g === current) {
      run.push(id);
      continue;
    }
    if (run.length) out.push(run);
    run = [id];
    current = g;
  }
  if (run.length) out.push(run);
  return out;
}

/**
 * Where a node is among the rows, or where its nearest shown ancestor is: a closed fold
 * holding it, or a node above it (-1 if none).
 */
export function rowIndex(rows: readonly TreeRow[], key: NodeKey | null, data: InspectData): number {
  if (key === null) return -1;
  const direct = rows.findIndex((r) => r.key === key);
  if (direct >= 0) return direct;
  const path = data.tasks.path(key);
  for (let i = path.length - 1; i >= 0; i--) {
    const index = rows.findIndex((r) => r.key === path[i]);
    if (index >= 0) return index;
    const id = Number(path[i].slice(1));
    const fold = path[i][0] === 't' ? rows.findIndex((r) => r.fold !== undefined && !r.open && r.fold.members.includes(id)) : -1;
    if (fold >= 0) return fold;
  }
  return -1;
}

/**
 * The node an event belongs to: its task, unless the event is part of a request the
 * task is not (an inbound request arrives on a socket created outside any request):
 * then the request scope.
 */
export function nodeAtEvent(data: InspectData, e: { task: number; scope: number | null } | undefined): NodeKey | null {
  if (!e) return null;
  const task = data.tasks.task(e.task);
  const scoped = e.scope !== null && data.tasks.scopeById.has(e.scope);
  if (task && (!scoped || task.scope === e.scope)) return taskKey(e.task);
  return scoped ? scopeKey(e.scope!) : task ? taskKey(e.task) : null;
}

/** The expanded set with every ancestor of `key` opened, so that it shows. */
export function reveal(data: InspectData, expanded: ReadonlySet<NodeKey>, key: NodeKey): ReadonlySet<NodeKey> {
  const path = data.tasks.path(key).slice(0, -1);
  if (path.every((k) => expanded.has(k))) return expanded;
  return new Set([...expanded, ...path]);
}

/** Open at start: the only root when there is one, so a script's tasks show at once. */
export function initialExpanded(data: InspectData): ReadonlySet<NodeKey> {
  return new Set(data.tasks.roots.length === 1 ? data.tasks.roots : []);
}
