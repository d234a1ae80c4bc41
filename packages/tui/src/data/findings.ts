import * as analysis from '@looptape/analysis';
import type { Finding, Report } from '@looptape/analysis';
import type { RecordingReader } from '@looptape/recording';
import { scopeKey, taskKey, type NodeKey, type TaskIndex } from './task-index.js';

type Analyze = (reader: RecordingReader) => Report;

/**
 * The analyser's `analyze`, looked up at run time: the analysis package may not export
 * it yet, and the TUI then shows no findings instead of failing.
 */
export function analyzer(): Analyze | undefined {
  const fn = (analysis as Record<string, unknown>).analyze;
  return typeof fn === 'function' ? (fn as Analyze) : undefined;
}

/** The report of a recording, or an empty one when no analyser is available. */
export function analyzeRecording(reader: RecordingReader, analyze: Analyze | null = analyzer() ?? null): Report {
  return analyze ? analyze(reader) : { findings: [], missing: [] };
}

/** Findings placed in the task tree, and in time for jumping from one to the next. */
export class FindingIndex {
  /** By seq. */
  readonly all: readonly Finding[];
  private readonly own = new Map<NodeKey, Finding[]>();
  private readonly inside = new Map<NodeKey, number>();

  constructor(findings: readonly Finding[], tasks: TaskIndex) {
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

function nodeOf(f: Finding, tasks: TaskIndex): NodeKey | null {
  if (f.task !== null && tasks.hasTask(f.task)) return taskKey(f.task);
  if (f.request !== null && tasks.scopeById.has(f.request)) return scopeKey(f.request);
  return null;
}
