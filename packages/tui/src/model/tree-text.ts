import type { InspectData } from '../data/inspect-data.js';
import { OUTSIDE, scopeIdOf, taskIdOf, taskKey } from '../data/task-index.js';
import { foldLabel } from './fold.js';
import { formatMs, scopeLabel, taskLabel } from './format.js';
import type { InspectState } from './state.js';
import { taskDuration, taskState, type TaskState } from './task-state.js';
import type { TreeRow } from './tree.js';
import { cursorView } from './view.js';

export type RowState = TaskState | 'open' | 'later' | 'done' | 'failed';

/** The parts of one tree row, for the tree pane to lay out and colour. */
export interface RowText {
  /** `!` when the node itself has a finding. */
  mark: string;
  /** Indentation and the open/closed triangle. */
  prefix: string;
  label: string;
  state: RowState;
  /** The state as shown (a status code for a finished request). */
  stateText: string;
  duration: string;
  /** Findings hidden below a closed node, e.g. `!2`. */
  hidden: string;
}

export function rowText(row: TreeRow, data: InspectData, state: InspectState): RowText {
  const own = state.findings.of(row.key).length;
  const inside = state.findings.within(row.key) - own;
  const twisty = row.expandable ? (row.open ? '▾ ' : '▸ ') : '  ';
  const base = { mark: own > 0 ? '!' : ' ', prefix: '  '.repeat(row.depth) + twisty, hidden: !row.open && inside > 0 ? `!${inside}` : '' };
  const { ctx } = cursorView(data, state.cursor);
  if (row.fold) {
    const inFold = row.fold.members.reduce((n, id) => n + state.findings.within(taskKey(id)), 0);
    const counts = { pending: 0, running: 0, settled: 0, leaked: 0 };
    for (const id of row.fold.members) counts[taskState(data.tasks.task(id)!, ctx)]++;
    const s: TaskState = counts.leaked ? 'leaked' : counts.running ? 'running' : counts.pending ? 'pending' : 'settled';
    const stateText = s === 'settled' ? 'settled' : `${counts[s]} ${s}`;
    return { ...base, hidden: !row.open && inFold > 0 ? `!${inFold}` : '', label: foldLabel(data, row.fold), state: s, stateText, duration: '' };
  }
  const taskId = taskIdOf(row.key);
  if (taskId !== null) {
    const task = data.tasks.task(taskId)!;
    const s = taskState(task, ctx);
    const d = taskDuration(task, ctx);
    return { ...base, label: taskLabel(task, data.timers), state: s, stateText: s, duration: `${formatMs(d.ms)}${d.open ? '…' : ''}` };
  }
  if (row.key === OUTSIDE) {
    return { ...base, label: 'outside requests', state: 'open', stateText: '', duration: plural(data.tasks.children(OUTSIDE).length, 'task') };
  }
  const scope = data.tasks.scopeById.get(scopeIdOf(row.key)!)!;
  const label = scopeLabel(scope);
  if (scope.startSeq > ctx.cursor.seq) return { ...base, label, state: 'later', stateText: 'later', duration: '' };
  if (scope.endSeq === null || scope.endSeq > ctx.cursor.seq) {
    return { ...base, label, state: 'open', stateText: 'open', duration: `${formatMs(ctx.cursor.t - scope.startT)}…` };
  }
  const failed = scope.aborted || (scope.status ?? 0) >= 500;
  return { ...base, label, state: failed ? 'failed' : 'done', stateText: scope.aborted ? 'aborted' : String(scope.status), duration: formatMs(scope.endT! - scope.startT) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
