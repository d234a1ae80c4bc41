/// <reference lib="dom" />
import type { LaneTasks, ViewData } from './data.js';

// The page's script: these functions run in the browser. page.ts inlines their source
// (CLIENT), so they may use only each other, LIMITS and the DOM, never an import.

/** How much the page draws at once: lanes a page, delivery ticks a lane. */
export const LIMITS = { page: 100, marks: 300 };

/** What the page keeps between key presses and clicks. */
interface Ui {
  data: ViewData;
  readTasks: () => Record<number, LaneTasks>;
  tasks: Record<number, LaneTasks> | null;
  /** Index in data.lanes, -1 before a first selection. */
  selected: number;
  page: number;
  /** Index in data.findings, -1 before f. */
  finding: number;
  /** Index in data.deliveries, -1 before d. */
  delivery: number;
  deliveries: Map<number, ViewData['deliveries']>;
  findings: Map<number, ViewData['findings']>;
}

/** Draws the page and follows the keys of `looptape inspect` (j/k, g/G, f/F, d/D, enter, ?). */
export function viewer(data: ViewData, readTasks: () => Record<number, LaneTasks>): void {
  const ui: Ui = { data, readTasks, tasks: null, selected: -1, page: 0, finding: -1, delivery: -1, deliveries: byLane(data.deliveries, (d) => d[0]), findings: byLane(data.findings, (f) => f.lane) };
  drawHeader(ui);
  document.addEventListener('keydown', (e) => onKey(ui, e));
  const lanes = document.getElementById('lanes')!;
  lanes.addEventListener('mouseover', (e) => showTip(e));
  lanes.addEventListener('mouseout', () => (document.getElementById('tip')!.hidden = true));
  drawLanes(ui);
  drawFindings(ui);
  drawTree(ui);
  document.body.dataset.ready = 'true';
}

function byLane<T>(items: T[], laneOf: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const list = out.get(laneOf(item));
    if (list) list.push(item);
    else out.set(laneOf(item), [item]);
  }
  return out;
}

function el(tag: string, cls: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function ms(t: number): string {
  return t < 1000 ? `${t.toFixed(1)}ms` : `${(t / 1000).toFixed(2)}s`;
}

/** A moment as a distance along the time axis. */
function pct(ui: Ui, t: number): string {
  return `${((100 * t) / Math.max(ui.data.endT, 1)).toFixed(3)}%`;
}

function drawHeader({ data }: Ui): void {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  document.getElementById('summary')!.textContent = `${data.command} · ${count(data.events, 'event')} · ${ms(data.endT)} · ${count(data.lanes.length - 1, 'request')} · ${count(data.findings.length, 'finding')}`;
  for (const note of data.missing) document.getElementById('notes')!.append(el('div', 'note', note));
  if (!data.found) return;
  const box = document.getElementById('explanation')!;
  box.hidden = false;
  box.append(el('strong', '', 'Found by explore: '), el('span', 'explanation-text', data.found.explanation));
  if (data.found.reason) box.append(el('div', 'reason', `${data.found.oracle ?? ''}: ${data.found.reason}`));
  for (const moved of data.found.moved) box.append(el('div', 'moved-id', `moved: ${moved}`));
}

function drawLanes(ui: Ui): void {
  const { data, page } = ui;
  const list = document.getElementById('lanes')!;
  list.replaceChildren(axis(ui));
  const first = page * LIMITS.page;
  for (const [i, lane] of data.lanes.slice(first, first + LIMITS.page).entries()) list.append(laneRow(ui, lane, first + i));
  const pages = Math.ceil(data.lanes.length / LIMITS.page);
  document.getElementById('page')!.textContent = `lanes ${first + 1}–${Math.min(first + LIMITS.page, data.lanes.length)} of ${data.lanes.length}${pages > 1 ? ' (PageUp/PageDown)' : ''}`;
}

/** The time axis above the lanes: five ticks from the start of the recording to its end. */
function axis(ui: Ui): HTMLElement {
  const row = el('div', 'axis');
  row.append(el('div', 'lane-label', 'time since start'), el('div', 'lane-status', ''));
  const track = el('div', 'lane-track');
  for (let i = 0; i <= 4; i++) {
    const tick = el('span', 'tick', ms((ui.data.endT * i) / 4));
    tick.style.left = `${i * 25}%`;
    track.append(tick);
  }
  row.append(track);
  return row;
}

/** One request: its label and status, a bar from arrival to answer, its deliveries and findings on it. */
function laneRow(ui: Ui, lane: ViewData['lanes'][number], index: number): HTMLElement {
  const row = el('div', `lane${lane.failed ? ' failed' : ''}${index === ui.selected ? ' selected' : ''}`);
  row.dataset.lane = String(lane.id);
  row.append(el('div', 'lane-label', lane.label), el('div', 'lane-status', lane.status));
  const track = el('div', 'lane-track');
  const span = el('div', 'span');
  span.style.left = pct(ui, lane.start);
  span.style.width = `max(2px, ${pct(ui, (lane.end ?? ui.data.endT) - lane.start)})`;
  span.dataset.tip = `${lane.label}: ${ms(lane.start)} → ${lane.end === null ? 'still open' : ms(lane.end)}`;
  track.append(span);
  const marks = ui.deliveries.get(lane.id) ?? [];
  for (const [, t, seq, label, moved] of marks.slice(0, LIMITS.marks)) {
    const mark = el('div', `delivery${moved ? ' moved' : ''}${ui.data.deliveries[ui.delivery]?.[2] === seq ? ' current' : ''}`);
    mark.style.left = pct(ui, t);
    mark.dataset.seq = String(seq);
    mark.dataset.tip = `${label} · seq ${seq} · ${ms(t)}${moved ? ' · moved by explore' : ''}`;
    track.append(mark);
  }
  if (marks.length > LIMITS.marks) track.append(el('span', 'more', `+${marks.length - LIMITS.marks}`));
  for (const f of ui.findings.get(lane.id) ?? []) {
    const mark = el('div', `finding-mark ${f.severity}`);
    mark.style.left = pct(ui, f.t);
    mark.dataset.tip = `${f.kind}: ${f.message} · seq ${f.seq}`;
    track.append(mark);
  }
  row.append(track);
  row.addEventListener('click', () => select(ui, index));
  return row;
}

function drawFindings(ui: Ui): void {
  const list = document.getElementById('findings')!;
  list.replaceChildren();
  if (ui.data.findings.length === 0) list.append(el('div', 'none', 'no findings'));
  for (const [i, f] of ui.data.findings.entries()) {
    const row = el('div', `finding ${f.severity}${i === ui.finding ? ' current' : ''}`);
    row.append(el('span', 'kind', f.kind), el('span', 'message', f.message));
    row.append(el('div', 'path', f.taskPath), el('div', 'where', `${f.location ?? 'location unknown'} · seq ${f.seq} · ${ms(f.t)}`));
    row.addEventListener('click', () => toFinding(ui, i));
    list.append(row);
  }
}

/** The selected request's tasks, each under its creator, depth first in creation order. */
function drawTree(ui: Ui): void {
  const box = document.getElementById('tree')!;
  box.replaceChildren();
  const lane = ui.data.lanes[ui.selected];
  if (!lane) return void box.append(el('div', 'none', 'select a request (click, or j/k then enter) to see its task tree'));
  box.append(el('h3', 'tree-title', `${lane.label} ${lane.status}`));
  ui.tasks ??= ui.readTasks();
  const cols = ui.tasks[lane.id];
  if (!cols || cols.id.length === 0) return void box.append(el('div', 'none', 'no tasks recorded for this request'));
  const kids = byLane(cols.id.map((_, i) => i), (i) => cols.parent[i]);
  const stack: Array<[number, number]> = (kids.get(-1) ?? []).map((i): [number, number] => [i, 0]).reverse();
  while (stack.length > 0) {
    const [i, depth] = stack.pop()!;
    const end = cols.end[i];
    const row = el('div', `task${end < 0 ? ' open' : ''}`);
    row.style.paddingLeft = `${depth * 14 + 4}px`;
    row.dataset.task = String(cols.id[i]);
    row.append(el('span', 'task-name', cols.name[i]), el('span', 'task-time', `${ms(cols.start[i])} +${end < 0 ? 'never settled' : ms(end - cols.start[i])}`));
    box.append(row);
    for (const k of (kids.get(i) ?? []).slice().reverse()) stack.push([k, depth + 1]);
  }
  if (cols.more > 0) box.append(el('div', 'note', `${cols.more} more tasks not shown (looptape inspect shows them all)`));
}

function select(ui: Ui, index: number): void {
  ui.selected = Math.max(0, Math.min(ui.data.lanes.length - 1, index));
  ui.page = Math.floor(ui.selected / LIMITS.page);
  drawLanes(ui);
  drawTree(ui);
  document.querySelector('.lane.selected')?.scrollIntoView({ block: 'nearest' });
}

function toFinding(ui: Ui, i: number): void {
  ui.finding = i;
  drawFindings(ui);
  select(ui, ui.data.lanes.findIndex((lane) => lane.id === ui.data.findings[i].lane));
}

/** Hovering a bar, a delivery or a finding shows what it is, its seq and its time. */
function showTip(e: MouseEvent): void {
  const tip = document.getElementById('tip')!;
  const text = (e.target as HTMLElement).dataset?.tip;
  tip.hidden = !text;
  if (!text) return;
  tip.textContent = text;
  tip.style.left = `${e.clientX + 12}px`;
  tip.style.top = `${e.clientY + 12}px`;
}

/** d/D: the next or previous delivery, on its request's lane. */
function toDelivery(ui: Ui, by: 1 | -1): void {
  const n = ui.data.deliveries.length;
  if (n === 0) return;
  ui.delivery = (ui.delivery + by + n) % n;
  select(ui, ui.data.lanes.findIndex((lane) => lane.id === ui.data.deliveries[ui.delivery][0]));
  const [, t, seq, label] = ui.data.deliveries[ui.delivery];
  document.getElementById('page')!.textContent += ` · delivery ${ui.delivery + 1} of ${n}: ${label} · seq ${seq} · ${ms(t)}`;
}

function onKey(ui: Ui, e: KeyboardEvent): void {
  const help = document.getElementById('help')!;
  const n = ui.data.findings.length;
  if (e.key === '?') help.hidden = !help.hidden;
  else if (e.key === 'Escape') help.hidden = true;
  else if (e.key === 'j' || e.key === 'ArrowDown') select(ui, ui.selected + 1);
  else if (e.key === 'k' || e.key === 'ArrowUp') select(ui, ui.selected - 1);
  else if (e.key === 'g' || e.key === 'Home') select(ui, 0);
  else if (e.key === 'G' || e.key === 'End') select(ui, ui.data.lanes.length - 1);
  else if (e.key === 'PageDown') select(ui, ui.selected + LIMITS.page);
  else if (e.key === 'PageUp') select(ui, ui.selected - LIMITS.page);
  else if ((e.key === 'f' || e.key === 'F') && n > 0) toFinding(ui, (ui.finding + (e.key === 'f' ? 1 : n - 1)) % n);
  else if (e.key === 'd' || e.key === 'D') toDelivery(ui, e.key === 'd' ? 1 : -1);
  else if (e.key === 'Enter' || e.key === ' ') select(ui, Math.max(ui.selected, 0));
  else return;
  e.preventDefault();
}

/** Every function the page's script needs, in the order it defines them. */
export const CLIENT = [viewer, byLane, el, ms, pct, drawHeader, drawLanes, axis, laneRow, drawFindings, drawTree, select, toFinding, showTip, toDelivery, onKey];
