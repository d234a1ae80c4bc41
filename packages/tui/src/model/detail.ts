import type { Finding } from '@looptape/analysis';
import type { LoopEvent, TaskSummary } from '@looptape/recording';
import type { InspectData } from '../data/inspect-data.js';
import { taskStack } from '../data/sites.js';
import { isFold, OUTSIDE, scopeIdOf, taskIdOf, taskKey, type NodeKey } from '../data/task-index.js';
import { foldParent, foldSite, type Fold } from './fold.js';
import { eventFields, exchangeLines } from './detail-event.js';
import { formatMs, formatT, scopeLabel, taskLabel } from './format.js';
import { blank, field, FIELD_INDENT, title, wrapLines, type Line } from './lines.js';
import type { InspectState } from './state.js';
import { settledAt, taskDuration, taskState } from './task-state.js';
import { treeRows } from './tree.js';
import { cursorView, memoLast } from './view.js';

/** The detail pane's lines, wrapped to its width. */
export function detailLines(data: InspectData, state: InspectState, width: number): Line[] {
  const fold = state.selected !== null && isFold(state.selected) ? treeRows(data, state).find((r) => r.key === state.selected)?.fold : undefined;
  return cached(data, state.cursor, state.subject, state.selected, state.findings, width, fold);
}

const cached = memoLast((data: InspectData, cursor: number, subject: InspectState['subject'], selected: NodeKey | null, findings: InspectState['findings'], width: number, fold: Fold | undefined) => {
  const { event } = cursorView(data, cursor);
  const lines = subject === 'event' || selected === null ? eventDetail(data, event, findings) : fold ? foldDetail(data, cursor, fold) : nodeDetail(data, cursor, selected, findings);
  return wrapLines(lines, width);
});

/** A fold of anonymous promises: what it stands for, where they come from, how they stand. */
function foldDetail(data: InspectData, cursor: number, fold: Fold): Line[] {
  const { ctx } = cursorView(data, cursor);
  const tasks = fold.members.map((id) => data.tasks.task(id)!);
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(taskState(t, ctx), (counts.get(taskState(t, ctx)) ?? 0) + 1);
  const site = foldSite(data, fold);
  return [
    title(`PROMISE ×${tasks.length}`),
    { text: `${tasks.length} promises created one after another, with no finding in them, shown as one row: enter opens it.`, style: 'dim' },
    field('under', foldParent(data, fold)),
    field('created', `seq ${tasks[0].initSeq} to ${tasks.at(-1)!.initSeq}`),
    field('site', site ?? (data.meta.stacks ? 'not one site for all of them' : 'not recorded (record --stacks)')),
    field('states', [...counts].map(([state, n]) => `${n} ${state}`).join(', ')),
  ];
}

function eventDetail(data: InspectData, e: LoopEvent | undefined, findings: InspectState['findings']): Line[] {
  if (!e) return [{ text: 'The recording has no events.', style: 'dim' }];
  const lines: Line[] = [title(`${e.kind}  seq ${e.seq}  t ${formatT(e.t)}`), ...movedLines(data, e), ...eventFields(e)];
  if ('exchange' in e && 'direction' in e) lines.push(blank(), ...exchangeLines(data.exchanges.get(e.exchange, e.direction, e.seq)));
  const task = data.tasks.task(e.task);
  if (task) lines.push(blank(), ...taskLines(data, e.seq, task, findings.of(taskKey(task.id))));
  else if (e.task) lines.push(blank(), field('task', `${e.task} (not in the task tree)`));
  return lines;
}

/** A delivery `looptape explore` moved from its recorded place: what the run found shows. */
function movedLines(data: InspectData, e: LoopEvent): Line[] {
  const found = data.meta.found;
  if (!found?.movedSeqs?.includes(e.seq)) return [];
  return [{ text: `» moved by explore: ${found.explanation}`, style: 'warning' }];
}

function nodeDetail(data: InspectData, cursor: number, key: NodeKey, findings: InspectState['findings']): Line[] {
  const taskId = taskIdOf(key);
  if (taskId !== null) return taskLines(data, cursor, data.tasks.task(taskId)!, findings.of(key));
  if (key === OUTSIDE) {
    return [title('Outside requests'), { text: `${data.tasks.children(OUTSIDE).length} tasks were created outside any inbound request's scope (start-up, timers, the server itself).`, style: 'dim' }];
  }
  const scope = data.tasks.scopeById.get(scopeIdOf(key)!)!;
  const lines: Line[] = [title(scopeLabel(scope))];
  lines.push(field('status', scope.aborted ? 'aborted by the client' : (scope.status ?? 'no response')));
  lines.push(field('started', `seq ${scope.startSeq}  t ${formatT(scope.startT)}`));
  if (scope.endSeq !== null) lines.push(field('ended', `seq ${scope.endSeq}  t ${formatT(scope.endT!)}  (${formatMs(scope.endT! - scope.startT)})`));
  lines.push(field('tasks', data.tasks.loaded ? `${data.tasks.children(key).length} at the top of its scope` : 'loading…'));
  lines.push(...findingLines(findings.of(key)));
  lines.push(blank(), ...exchangeLines(data.exchanges.get(scope.exchange, 'in', scope.startSeq)));
  return lines;
}

function taskLines(data: InspectData, cursor: number, task: TaskSummary, findings: readonly Finding[]): Line[] {
  const { ctx } = cursorView(data, cursor);
  const state = task.initSeq > cursor ? 'not created yet' : taskState(task, ctx);
  const duration = taskDuration(task, ctx);
  const settled = settledAt(task, data.timers);
  const creator = data.tasks.task(task.exec);
  const trigger = data.tasks.task(task.trigger);
  const timer = data.timers.set(task.id);
  const lines: Line[] = [
    title(`${taskLabel(task, data.timers)}  ${state}${task.initSeq > cursor ? '' : `  ${formatMs(duration.ms)}${duration.open ? ' so far' : ''}`}`),
    field('created', `seq ${task.initSeq}  t ${formatT(task.initT)}`),
    field('by', creator ? taskLabel(creator, data.timers) : `${task.exec} (${task.exec <= 1 ? 'top-level code' : 'unknown'})`),
    field('trigger', trigger ? taskLabel(trigger, data.timers) : String(task.trigger)),
    field('request', task.scope === null ? 'none' : scopeName(data, task.scope)),
    field('runs', task.runs + (task.firstBeforeSeq === null ? '' : `  (seq ${task.firstBeforeSeq} to ${task.lastAfterSeq ?? 'the end'})`)),
    field(task.type === 'PROMISE' ? 'resolved' : 'over', settled ? `seq ${settled.seq}  t ${formatT(settled.t)}` : 'never'),
  ];
  if (timer) lines.push(field('timer', `${timer.api}(${timer.delay})${timer.repeat ? ' repeating' : ''}${timer.internal ? ' internal (Node)' : ''}`));
  const stack = data.meta.stacks ? taskStack(data.pages, task) : undefined;
  const site = stack?.site ?? timer?.site ?? findings.find((f) => f.location)?.location;
  lines.push(field('site', site ?? (data.meta.stacks ? 'not in the program' : 'not recorded (record --stacks)')));
  if (stack && stack.frames.length > 1) lines.push(...stack.frames.slice(1).map((text): Line => ({ text: `${' '.repeat(FIELD_INDENT)}${text}`, style: 'dim', hang: FIELD_INDENT + 2 })));
  lines.push(field('path', taskPath(data, taskKey(task.id))));
  lines.push(...findingLines(findings));
  return lines;
}

function findingLines(findings: readonly Finding[]): Line[] {
  if (findings.length === 0) return [];
  const lines: Line[] = [blank(), title(`Findings (${findings.length})`)];
  for (const f of findings) {
    lines.push({ text: `! ${f.kind} (${f.severity})  seq ${f.seq}`, style: f.severity === 'error' ? 'error' : 'warning' });
    lines.push({ text: `  ${f.message}` });
    if (f.location) lines.push({ text: `  at ${f.location}`, style: 'dim' });
    if (f.taskPath) lines.push({ text: `  ${f.taskPath}`, style: 'dim' });
  }
  return lines;
}

function scopeName(data: InspectData, exchange: number): string {
  const s = data.tasks.scopeById.get(exchange);
  return s ? scopeLabel(s) : `#${exchange}`;
}

/** Root to task, e.g. `#3 POST /checkout → PROMISE 12 → Timeout 17`; long middles elided. */
export function taskPath(data: InspectData, key: NodeKey): string {
  const names = data.tasks.path(key).map((k) => {
    const id = taskIdOf(k);
    if (id !== null) return taskLabel(data.tasks.task(id)!, data.timers);
    return k === OUTSIDE ? '(outside requests)' : scopeName(data, scopeIdOf(k)!);
  });
  if (names.length > 7) names.splice(3, names.length - 6, `… ${names.length - 6} more …`);
  return names.join(' → ');
}
