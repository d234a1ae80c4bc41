import { TaskTable, taskSummaryAt, type ScopeSummary, type TaskLinks, type TaskSummary } from '@looptape/recording';
import { treeFromSummaries, type TaskTree } from './task-tree.js';

/**
 * A node of the task tree: `s<exchange>` a request scope, `o` the tasks outside any
 * request, `t<asyncId>` a task, `f<asyncId>` a run of anonymous promises folded into one row
 * (named by its first; see model/tree.ts).
 */
export type NodeKey = `s${number}` | 'o' | `t${number}` | `f${number}`;

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

export function foldKey(firstId: number): NodeKey {
  return `f${firstId}`;
}

export function isFold(key: NodeKey): boolean {
  return key[0] === 'f';
}

const NONE = new Int32Array(0);

/**
 * The task tree of a recording: request scopes at the top (and the tasks outside any
 * request), each task under its parent (the recording's parent rule, `parentRow`).
 * Without its tree (still loading) it holds the scopes alone.
 */
export class TaskIndex {
  readonly scopeById = new Map<number, ScopeSummary>();
  readonly roots: NodeKey[];
  private readonly rootKids = new Map<NodeKey, Int32Array>();
  private readonly made = new Map<number, TaskSummary>();
  private readonly c: TaskTable | null;
  private readonly links: TaskLinks | null;

  constructor(tree: TaskTree | null, readonly scopes: readonly ScopeSummary[]) {
    this.c = tree && new TaskTable(tree.table);
    this.links = tree && tree.links;
    const c = this.c;
    for (const s of scopes) this.scopeById.set(s.exchange, s);
    const groups = new Map<NodeKey, number[]>();
    for (let r = 0; c && r < c.count; r++) {
      if (this.links!.parent[r] >= 0) continue;
      const key = this.scopeKeyOf(r);
      const list = groups.get(key) ?? [];
      list.push(c.ids.get(r));
      groups.set(key, list);
    }
    for (const [key, ids] of groups) this.rootKids.set(key, Int32Array.from(ids));
    this.roots = [...scopes.map((s) => scopeKey(s.exchange)), ...(groups.has(OUTSIDE) ? [OUTSIDE] : [])];
  }

  static fromSummaries(tasks: readonly TaskSummary[], scopes: readonly ScopeSummary[]): TaskIndex {
    return new TaskIndex(treeFromSummaries(tasks), scopes);
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
    this.made.set(id, (t = taskSummaryAt(this.c!, r)));
    return t;
  }

  hasTask(id: number): boolean {
    return this.row(id) >= 0;
  }

  /** When a task was created (its init's seq), without building the whole summary. */
  initSeq(id: number): number {
    const r = this.row(id);
    return r < 0 ? Number.MAX_SAFE_INTEGER : this.c!.initSeq.get(r);
  }

  /** Task ids under a node, in creation order. */
  children(key: NodeKey): Int32Array {
    const id = taskIdOf(key);
    if (id === null) return this.rootKids.get(key) ?? NONE;
    const r = this.row(id);
    const links = this.links!;
    return r < 0 ? NONE : links.childIds.subarray(links.childStart[r], links.childStart[r + 1]);
  }

  parent(key: NodeKey): NodeKey | null {
    const id = taskIdOf(key);
    if (id === null) return null;
    const r = this.row(id);
    if (r < 0) return null;
    const p = this.links!.parent[r];
    return p >= 0 ? taskKey(this.c!.ids.get(p)) : this.scopeKeyOf(r);
  }

  /** The top-level node of a task without a parent: its request scope, or the outside group. */
  private scopeKeyOf(r: number): NodeKey {
    const scope = this.c!.scope.get(r);
    return scope && this.scopeById.has(scope) ? scopeKey(scope) : OUTSIDE;
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
    if (isFold(key)) return false;
    return key === OUTSIDE ? this.rootKids.has(OUTSIDE) : this.scopeById.has(scopeIdOf(key)!);
  }

  private row(id: number): number {
    return this.c ? this.c.row(id) : -1;
  }
}
