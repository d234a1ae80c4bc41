import type { ScopeSummary, TaskSummary } from '@looptape/recording';
import { buildColumns, type TaskColumns } from './task-columns.js';

/**
 * A node of the task tree: `s<exchange>` a request scope, `o` the tasks outside any
 * request, `t<asyncId>` a task.
 */
export type NodeKey = `s${number}` | 'o' | `t${number}`;

export const OUTSIDE: NodeKey = 'o';

export function taskKey(id: number): NodeKey {
  return `t${id}`;
}

export function scopeKey(exchange: number): NodeKey {
  return `s${exchange}`;
}

/** The task id of a task node, or null for a scope or the outside group. */
export function taskIdOf(key: NodeKey): number | null {
  return key[0] === 't' ? Number(key.slice(1)) : null;
}

export function scopeIdOf(key: NodeKey): number | null {
  return key[0] === 's' ? Number(key.slice(1)) : null;
}

const NONE = new Int32Array(0);

/**
 * The task tree of a recording: request scopes at the top (and the tasks outside any
 * request), each task under the task that created it (see buildColumns). Without
 * columns (still loading) it holds the scopes alone.
 */
export class TaskIndex {
  readonly scopeById = new Map<number, ScopeSummary>();
  readonly roots: NodeKey[];
  private readonly rootKids = new Map<NodeKey, Int32Array>();
  private readonly made = new Map<number, TaskSummary>();

  constructor(private readonly c: TaskColumns | null, readonly scopes: readonly ScopeSummary[]) {
    for (const s of scopes) this.scopeById.set(s.exchange, s);
    const groups = new Map<NodeKey, number[]>();
    for (let r = 0; c && r < c.count; r++) {
      if (c.parent[r] >= 0) continue;
      const key = c.scope[r] && this.scopeById.has(c.scope[r]) ? scopeKey(c.scope[r]) : OUTSIDE;
      const list = groups.get(key) ?? [];
      list.push(c.id[r]);
      groups.set(key, list);
    }
    for (const [key, ids] of groups) this.rootKids.set(key, Int32Array.from(ids));
    this.roots = [...scopes.map((s) => scopeKey(s.exchange)), ...(groups.has(OUTSIDE) ? [OUTSIDE] : [])];
  }

  static fromSummaries(tasks: readonly TaskSummary[], scopes: readonly ScopeSummary[]): TaskIndex {
    return new TaskIndex(buildColumns(tasks), scopes);
  }

  /** False while the tasks are still being read. */
  get loaded(): boolean {
    return this.c !== null;
  }

  get size(): number {
    return this.c?.count ?? 0;
  }

  task(id: number): TaskSummary | undefined {
    let t = this.made.get(id);
    if (t) return t;
    const r = this.row(id);
    if (r < 0) return undefined;
    this.made.set(id, (t = summaryAt(this.c!, r)));
    return t;
  }

  hasTask(id: number): boolean {
    return this.row(id) >= 0;
  }

  /** When a task was created (its init's seq), without building the whole summary. */
  initSeq(id: number): number {
    const r = this.row(id);
    return r < 0 ? Number.MAX_SAFE_INTEGER : this.c!.initSeq[r];
  }

  /** Task ids under a node, in creation order. */
  children(key: NodeKey): Int32Array {
    const id = taskIdOf(key);
    if (id === null) return this.rootKids.get(key) ?? NONE;
    const r = this.row(id);
    return r < 0 ? NONE : this.c!.childIds.subarray(this.c!.childStart[r], this.c!.childStart[r + 1]);
  }

  parent(key: NodeKey): NodeKey | null {
    const id = taskIdOf(key);
    if (id === null) return null;
    const r = this.row(id);
    if (r < 0) return null;
    const p = this.c!.parent[r];
    if (p >= 0) return taskKey(this.c!.id[p]);
    return this.c!.scope[r] && this.scopeById.has(this.c!.scope[r]) ? scopeKey(this.c!.scope[r]) : OUTSIDE;
  }

  /** The node and its ancestors, from the root down to it. */
  path(key: NodeKey): NodeKey[] {
    const out: NodeKey[] = [];
    for (let k: NodeKey | null = key; k !== null; k = this.parent(k)) out.push(k);
    return out.reverse();
  }

  has(key: NodeKey): boolean {
    const id = taskIdOf(key);
    if (id !== null) return this.hasTask(id);
    return key === OUTSIDE ? this.rootKids.has(OUTSIDE) : this.scopeById.has(scopeIdOf(key)!);
  }

  private row(id: number): number {
    const c = this.c;
    if (!c) return -1;
    let lo = 0;
    let hi = c.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = c.id[c.rowsById[mid]];
      if (at === id) return c.rowsById[mid];
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function summaryAt(c: TaskColumns, r: number): TaskSummary {
  const seq = (v: number) => (v < 0 ? null : v);
  const time = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    id: c.id[r], type: c.typeNames[c.type[r]], trigger: c.trigger[r], exec: c.exec[r], scope: c.scope[r] || null,
    initSeq: c.initSeq[r], initT: c.initT[r], firstBeforeSeq: seq(c.firstBeforeSeq[r]), lastAfterSeq: seq(c.lastAfterSeq[r]),
    lastAfterT: time(c.lastAfterT[r]), resolveSeq: seq(c.resolveSeq[r]), resolveT: time(c.resolveT[r]), runs: c.runs[r],
  };
}
