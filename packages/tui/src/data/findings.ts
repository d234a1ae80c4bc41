import { analyze, type Finding, type Report } from '@looptape/analysis';
import type { RecordingReader } from '@looptape/recording';
import { scopeKey, taskKey, type NodeKey, type TaskIndex } from './task-index.js';

type Analyze = (reader: RecordingReader) => Report;

/** The report of a recording (`looptape report`'s findings), or an empty one without an analyser. */
export function analyzeRecording(reader: RecordingReader, analyzer: Analyze | null = analyze): Report {
  return analyzer ? analyzer(reader) : { findings: [], missing: [] };
}

/** Findings placed in the task tree, and in time for jumping from one to the next. */
export class FindingIndex {
  /** By seq. */
  readonly all: readonly Finding[];
  private readonly own = new Map<NodeKey, Finding[]>();
  private readonly inside = new Map<NodeKey, number>();

  constructor(findings: readonly Finding[], private readonly tasks: TaskIndex) {
    this.all = [...findings].sort((a, b) => a.seq - b.seq);
    for (const f of this.all) {
      const key = nodeOf(f, tasks);
      if (!key) continue;
      const list = this.own.get(key) ?? [];
      list.push(f);
      this.own.set(key, list);
      for (const k of tasks.path(key)) this.inside.set(k, (this.inside.get(k) ?? 0) + 1);
    }
  }

  static empty(tasks: TaskIndex): FindingIndex {
    return new FindingIndex([], tasks);
  }

  /** Findings about this node itself. */
  of(key: NodeKey): readonly Finding[] {
    return this.own.get(key) ?? [];
  }

  /** The node a finding shows on (see nodeOf), null when the tree has no place for it. */
  place(f: Finding): NodeKey | null {
    return nodeOf(f, this.tasks);
  }

  /** The nodes that have findings of their own. */
  nodes(): NodeKey[] {
    return [...this.own.keys()];
  }

  /** How many findings are about this node or a node below it. */
  within(key: NodeKey): number {
    return this.inside.get(key) ?? 0;
  }

  /** The first finding after `seq` (dir 1) or the last one before it (dir -1). */
  step(seq: number, dir: 1 | -1): Finding | undefined {
    if (dir > 0) return this.all.find((f) => f.seq > seq);
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i].seq < seq) return this.all[i];
    return undefined;
  }
}

/**
 * Where a finding shows in the tree: on its task, unless that task lives outside the
 * finding's request (a socket's message, say), where nobody looking at the request
 * would see it: then on the request.
 */
function nodeOf(f: Finding, tasks: TaskIndex): NodeKey | null {
  const request = f.request !== null && tasks.scopeById.has(f.request) ? scopeKey(f.request) : null;
  if (f.task !== null && tasks.hasTask(f.task)) {
    const key = taskKey(f.task);
    if (request === null || tasks.path(key)[0] === request) return key;
  }
  return request;
}
