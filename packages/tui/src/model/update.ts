import type { Report } from '@looptape/analysis';
import { FindingIndex } from '../data/findings.js';
import type { InspectData } from '../data/inspect-data.js';
import { isFold, taskKey } from '../data/task-index.js';
import { detailLines } from './detail.js';
import { helpLines } from './help.js';
import type { Action } from './keys.js';
import { layout } from './layout.js';
import { PANES, type InspectState } from './state.js';
import { jump, moveTo, seekTo, step } from './time.js';
import { initialExpanded, nodeAtEvent, reveal, rowIndex, treeRows } from './tree.js';

export interface InitialOptions {
  width: number;
  height: number;
  /** Findings known up front (tests); otherwise they arrive with `withReport`. */
  report?: Report;
}

/** The state on opening: the cursor on the first event, the tree at the top. */
export function initialState(data: InspectData, options: InitialOptions): InspectState {
  const base: InspectState = {
    cursor: data.firstSeq, focus: 'tree', selected: data.tasks.roots[0] ?? null, want: null, expanded: initialExpanded(data),
    treeScroll: 0, subject: 'node', detailScroll: 0, findingsOnly: false, hideSettled: false,
    search: { editing: false, draft: '', query: null }, help: false, helpScroll: 0, message: foundMessage(data),
    report: null, findings: FindingIndex.empty(data.tasks), findingsStatus: 'loading', missing: [],
    width: options.width, height: options.height, quit: false,
  };
  return options.report ? withReport(base, data, options.report) : base;
}

/** A recording `looptape explore` found opens saying what it shows (until the next message). */
function foundMessage(data: InspectData): string | null {
  const found = data.meta.found;
  if (!found) return null;
  return `found by explore (seed ${found.seed}): ${found.explanation}${found.reason ? ` — ${found.reason}` : ''}`;
}

/** The state once the analyser's report arrived. */
export function withReport(state: InspectState, data: InspectData, report: Report): InspectState {
  return keepInView({ ...state, report, findings: new FindingIndex(report.findings, data.tasks), findingsStatus: 'ready', missing: report.missing }, data);
}

/** The state once the task tree arrived in `data`: findings placed in it, the cursor's task revealed. */
export function withTasksLoaded(state: InspectState, data: InspectData): InspectState {
  const findings = new FindingIndex(state.report?.findings ?? [], data.tasks);
  // A finding asked for while loading: place it now that its task's ancestry is known.
  const pending = state.want ? findings.all.find((f) => f.seq === state.cursor && f.task !== null && taskKey(f.task) === state.want) : undefined;
  const wanted = pending ? findings.place(pending) : state.want && data.tasks.has(state.want) ? state.want : null;
  const node = wanted ?? (state.subject === 'event' ? nodeAtEvent(data, data.pages.at(state.cursor)) : null);
  const revealed = node ? reveal(data, state.expanded, node) : state.expanded;
  // A script (no requests) has one root, "outside requests": open it, as initialExpanded does.
  const expanded = data.tasks.roots.length === 1 ? new Set([...revealed, data.tasks.roots[0]]) : revealed;
  return keepInView({ ...state, findings, want: null, selected: node ?? state.selected, expanded }, data);
}

export function withFailedReport(state: InspectState, reason: string): InspectState {
  return { ...state, findingsStatus: 'failed', message: `findings unavailable: ${reason}` };
}

export function resize(state: InspectState, data: InspectData, width: number, height: number): InspectState {
  return keepInView({ ...state, width, height }, data);
}

/** The state after one action. Deterministic: reads the recording, changes nothing. */
export function update(state: InspectState, action: Action, data: InspectData): InspectState {
  const next = apply(state, action, data);
  return next === state ? state : keepInView(next, data);
}

function apply(state: InspectState, action: Action, data: InspectData): InspectState {
  const box = layout(state.width, state.height);
  switch (action.type) {
    case 'quit': return { ...state, quit: true };
    case 'help': return { ...state, help: true, helpScroll: 0 };
    // The overlay shows the help's lines in the screen less its header, status and borders.
    case 'help-scroll': return { ...state, helpScroll: Math.max(0, Math.min(state.helpScroll + action.by, helpLines().length - Math.max(1, box.height - 5))) };
    case 'close-help': return { ...state, help: false };
    case 'focus': return { ...state, focus: action.pane };
    case 'focus-cycle': return { ...state, focus: PANES[(PANES.indexOf(state.focus) + action.by + PANES.length) % PANES.length] };
    case 'move': return move(state, data, action.by);
    case 'page': return move(state, data, action.by * Math.max(1, (state.focus === 'events' ? box.eventRows : box.mainRows) - 1));
    case 'edge': return edge(state, data, action.to);
    case 'step': return step(state, data, action.by);
    case 'jump': return jump(state, data, action.to);
    case 'seek': return seekTo(state, data, action.target, action.dir);
    case 'enter': return enter(state, data);
    case 'collapse-all': return { ...state, expanded: new Set(), selected: state.selected && data.tasks.path(state.selected)[0] };
    case 'toggle-findings-only': return toggleFindingsOnly(state, data);
    case 'toggle-hide-settled': return { ...state, hideSettled: !state.hideSettled };
    case 'search-start': return { ...state, search: { ...state.search, editing: true, draft: '' }, message: null };
    case 'search-type': return { ...state, search: { ...state.search, draft: state.search.draft + action.text } };
    case 'search-erase': return { ...state, search: { ...state.search, draft: state.search.draft.slice(0, -1) } };
    case 'search-cancel': return { ...state, search: { ...state.search, editing: false, draft: '' } };
    case 'search-commit': {
      const query = state.search.draft.trim() || state.search.query;
      const searching = { ...state, search: { editing: false, draft: '', query } };
      return query ? seekTo(searching, data, 'match', 1) : searching;
    }
    case 'dismiss': return { ...state, message: null };
    default: return assertNever(action);
  }
}

function move(state: InspectState, data: InspectData, by: number): InspectState {
  if (state.focus === 'detail') return { ...state, detailScroll: state.detailScroll + by };
  if (state.focus === 'events') {
    const events = by > 0 ? data.pages.after(state.cursor, by) : data.pages.before(state.cursor, -by);
    const e = by > 0 ? events[events.length - 1] : events[0];
    return e ? moveTo(state, data, e) : step(state, data, by > 0 ? 1 : -1);
  }
  const rows = treeRows(data, state);
  if (rows.length === 0) return state;
  const at = Math.max(0, rowIndex(rows, state.selected, data));
  const to = Math.min(rows.length - 1, Math.max(0, at + by));
  return { ...state, selected: rows[to].key, want: null, subject: 'node', detailScroll: 0 };
}

function edge(state: InspectState, data: InspectData, to: 'top' | 'bottom'): InspectState {
  if (state.focus === 'events') return jump(state, data, to === 'top' ? 'start' : 'end');
  if (state.focus === 'detail') return { ...state, detailScroll: to === 'top' ? 0 : Number.MAX_SAFE_INTEGER };
  const rows = treeRows(data, state);
  if (rows.length === 0) return state;
  return { ...state, selected: rows[to === 'top' ? 0 : rows.length - 1].key, want: null, subject: 'node', detailScroll: 0 };
}

function enter(state: InspectState, data: InspectData): InspectState {
  if (state.focus === 'events') {
    const node = nodeAtEvent(data, data.pages.at(state.cursor));
    if (!node) return { ...state, message: 'this event belongs to no task in the tree' };
    return { ...state, focus: 'tree', selected: node, subject: 'node', expanded: reveal(data, state.expanded, node) };
  }
  if (state.focus !== 'tree' || state.selected === null) return state;
  const key = state.selected;
  const expanded = new Set(state.expanded);
  if (expanded.has(key)) expanded.delete(key);
  else expanded.add(key);
  return { ...state, expanded, subject: 'node' };
}

/** Shows only the nodes with findings, opened so that every finding shows. */
function toggleFindingsOnly(state: InspectState, data: InspectData): InspectState {
  if (state.findingsOnly) return { ...state, findingsOnly: false, message: null };
  const expanded = state.findings.nodes().reduce((set, key) => reveal(data, set, key), state.expanded);
  return { ...state, findingsOnly: true, expanded, message: state.findings.all.length === 0 ? 'no findings to show' : null };
}

/** Keeps the selection on a shown row and in view, and the detail scroll in range. */
function keepInView(state: InspectState, data: InspectData): InspectState {
  const box = layout(state.width, state.height);
  let rows = treeRows(data, state);
  let index = rowIndex(rows, state.selected, data);
  // A task asked for (from an event, a finding) inside a closed fold: open the fold.
  const holder = rows[index];
  if (holder?.fold && !holder.open && holder.key !== state.selected && state.selected !== null && !isFold(state.selected)) {
    state = { ...state, expanded: new Set([...state.expanded, holder.key]) };
    rows = treeRows(data, state);
    index = rowIndex(rows, state.selected, data);
  }
  const selected = index >= 0 ? rows[index].key : (rows[0]?.key ?? null);
  const at = Math.max(0, index);
  let treeScroll = Math.min(state.treeScroll, at, Math.max(0, rows.length - box.mainRows));
  if (at >= treeScroll + box.mainRows) treeScroll = at - box.mainRows + 1;
  const viewed = { ...state, selected };
  const lines = detailLines(data, viewed, box.detailWidth - 2).length;
  const detailScroll = Math.max(0, Math.min(state.detailScroll, lines - box.mainRows));
  return { ...viewed, treeScroll, detailScroll };
}

function assertNever(value: never): never {
  throw new Error(`unhandled action ${JSON.stringify(value)}`);
}
