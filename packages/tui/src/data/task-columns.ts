import type { TaskSummary } from '@looptape/recording';
import { IdRows } from './id-rows.js';

/**
 * The task summaries as columns, with the tree already worked out: built off the UI
 * thread (a recording of a million events has hundreds of thousands of tasks) and
 * handed over without copying. Rows are in creation order.
 */
export interface TaskColumns {
  count: number;
  typeNames: string[];
  type: Uint16Array;
  id: Int32Array;
  trigger: Int32Array;
  exec: Int32Array;
  /** The request's exchange, 0 for none. */
  scope: Int32Array;
  initSeq: Int32Array;
  initT: Float64Array;
  /** -1 (seqs) and NaN (times) stand for null. */
  firstBeforeSeq: Int32Array;
  lastAfterSeq: Int32Array;
  lastAfterT: Float64Array;
  resolveSeq: Int32Array;
  resolveT: Float64Array;
  runs: Int32Array;
  /** Row of the parent task, -1 when the task sits directly under its request (or outside). */
  parent: Int32Array;
  /** Children ids of row r: childIds[childStart[r] .. childStart[r + 1]), in creation order. */
  childStart: Int32Array;
  childIds: Int32Array;
  /** Rows ordered by task id, to find a task by binary search. */
  rowsById: Int32Array;
}

/** From the task summaries (as `reader.tasks()` gives them). */
export function buildColumns(tasks: readonly TaskSummary[]): TaskColumns {
  const ordered = isSorted(tasks) ? tasks : [...tasks].sort((a, b) => a.initSeq - b.initSeq);
  const n = ordered.length;
  const c = allocate(n);
  const typeCodes = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const t = ordered[r];
    let code = typeCodes.get(t.type);
    if (code === undefined) typeCodes.set(t.type, (code = typeCodes.size));
    c.type[r] = code;
    c.id[r] = t.id;
    c.trigger[r] = t.trigger;
    c.exec[r] = t.exec;
    c.scope[r] = t.scope ?? 0;
    c.initSeq[r] = t.initSeq;
    c.initT[r] = t.initT;
    c.firstBeforeSeq[r] = t.firstBeforeSeq ?? -1;
    c.lastAfterSeq[r] = t.lastAfterSeq ?? -1;
    c.lastAfterT[r] = t.lastAfterT ?? Number.NaN;
    c.resolveSeq[r] = t.resolveSeq ?? -1;
    c.resolveT[r] = t.resolveT ?? Number.NaN;
    c.runs[r] = t.runs;
  }
  c.typeNames = [...typeCodes.keys()];
  return link(c);
}

/**
 * A task's parent is its creator (the execution id at init), else its trigger, when that
 * task is known, older, and in the same request scope. Adds parents, children, lookup.
 */
export function link(c: TaskColumns): TaskColumns {
  const n = c.count;
  const rowOf = new IdRows();
  for (let r = 0; r < n; r++) rowOf.set(c.id[r], r);
  const childCount = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    c.parent[r] = parentRow(c, rowOf, r);
    if (c.parent[r] >= 0) childCount[c.parent[r]]++;
  }
  for (let r = 0; r < n; r++) c.childStart[r + 1] = c.childStart[r] + childCount[r];
  const fill = c.childStart.slice(0, n);
  for (let r = 0; r < n; r++) if (c.parent[r] >= 0) c.childIds[fill[c.parent[r]]++] = c.id[r];
  c.rowsById = Int32Array.from({ length: n }, (_, r) => r);
  // Ids mostly grow with creation order: sort only when they do not.
  if (!c.id.every((id, r) => r === 0 || id > c.id[r - 1])) c.rowsById.sort((a, b) => c.id[a] - c.id[b]);
  return c;
}

function parentRow(c: TaskColumns, rowOf: IdRows, r: number): number {
  for (const candidate of [c.exec[r], c.trigger[r]]) {
    const p = rowOf.get(candidate);
    if (p >= 0 && p !== r && c.initSeq[p] < c.initSeq[r] && c.scope[p] === c.scope[r]) return p;
  }
  return -1;
}

export function allocate(n: number): TaskColumns {
  return {
    count: n, typeNames: [], type: new Uint16Array(n), id: new Int32Array(n), trigger: new Int32Array(n), exec: new Int32Array(n),
    scope: new Int32Array(n), initSeq: new Int32Array(n), initT: new Float64Array(n), firstBeforeSeq: new Int32Array(n),
    lastAfterSeq: new Int32Array(n), lastAfterT: new Float64Array(n), resolveSeq: new Int32Array(n), resolveT: new Float64Array(n),
    runs: new Int32Array(n), parent: new Int32Array(n), childStart: new Int32Array(n + 1), childIds: new Int32Array(n), rowsById: new Int32Array(n),
  };
}

function isSorted(tasks: readonly TaskSummary[]): boolean {
  for (let i = 1; i < tasks.length; i++) if (tasks[i].initSeq < tasks[i - 1].initSeq) return false;
  return true;
}

/** The buffers to transfer (not copy) to another thread. */
export function transferables(c: TaskColumns): ArrayBuffer[] {
  return Object.values(c).filter(ArrayBuffer.isView).map((v) => (v as Int32Array).buffer as ArrayBuffer);
}
