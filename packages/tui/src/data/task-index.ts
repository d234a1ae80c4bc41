import type { ScopeSummary, TaskSummary } from '@looptape/recording';

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

/**
 * The task tree of a recording, built once from the tasks and scopes summaries.
 * A task's parent is its creator (the execution id at init), else its trigger, when
 * that task is known and in the same request scope; otherwise the task sits directly
 * under its scope (or under "outside requests"). Children are in creation order.
 */
export class TaskIndex {
  readonly byId = new Map<number, TaskSummary>();
  readonly scopeById = new Map<number, ScopeSummary>();
  private readonly parents = new Map<number, NodeKey>();
  private readonly kids = new Map<NodeKey, number[]>();
  readonly roots: NodeKey[];

  constructor(tasks: readonly TaskSummary[], readonly scopes: readonly ScopeSummary[]) {
    for (const s of scopes) this.scopeById.set(s.exchange, s);
    const ordered = [...tasks].sort((a, b) => a.initSeq - b.initSeq);
    for (const t of ordered) this.byId.set(t.id, t);
    for (const t of ordered) {
      const parent = this.findParent(t);
      this.parents.set(t.id, parent);
      let list = this.kids.get(parent);
      if (!list) this.kids.set(parent, (list = []));
      list.push(t.id);
    }
    this.roots = [...scopes.map((s) => scopeKey(s.exchange)), ...(this.kids.has(OUTSIDE) ? [OUTSIDE] : [])];
  }

  private findParent(t: TaskSummary): NodeKey {
    for (const candidate of [t.exec, t.trigger]) {
      const p = this.byId.get(candidate);
      if (p && p.id !== t.id && p.initSeq < t.initSeq && p.scope === t.scope) return taskKey(p.id);
    }
    return t.scope !== null && this.scopeById.has(t.scope) ? scopeKey(t.scope) : OUTSIDE;
  }

  /** Task ids under a node, in creation order. */
  children(key: NodeKey): readonly number[] {
    return this.kids.get(key) ?? [];
  }

  parent(key: NodeKey): NodeKey | null {
    const id = taskIdOf(key);
    return id === null ? null : (this.parents.get(id) ?? null);
  }

  /** The node and its ancestors, from the root down to it. */
  path(key: NodeKey): NodeKey[] {
    const out: NodeKey[] = [];
    for (let k: NodeKey | null = key; k !== null; k = this.parent(k)) out.push(k);
    return out.reverse();
  }

  has(key: NodeKey): boolean {
    const id = taskIdOf(key);
    if (id !== null) return this.byId.has(id);
    return key === OUTSIDE ? this.kids.has(OUTSIDE) : this.scopeById.has(scopeIdOf(key)!);
  }
}
