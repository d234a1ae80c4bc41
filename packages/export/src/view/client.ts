/// <reference lib="dom" />
import type { LaneTasks, ViewData } from './data.js';

/**
 * The page's script: runs in the browser, from the page itself (its source is inlined by
 * page.ts, so it must not reach for anything outside this function). Draws the swimlanes a
 * page at a time, the findings, and the task tree of the selected request; keys follow
 * `looptape inspect` (j/k, g/G, f/F, enter, ?).
 */
export function viewer(data: ViewData, readTasks: () => Record<number, LaneTasks>): void {
  const PAGE = 100;
  const MAX_MARKS = 300;
  const $ = (id: string) => document.getElementById(id)!;
  const el = (tag: string, cls: string, text?: string) => {
    const node = document.createElement(tag);
    node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const ms = (t: number) => (t < 1000 ? `${t.toFixed(1)}ms` : `${(t / 1000).toFixed(2)}s`);
  const pct = (t: number) => `${((100 * t) / Math.max(data.endT, 1)).toFixed(3)}%`;
  let selected = -1;
  let page = 0;
  let tasks: Record<number, LaneTasks> | null = null;
  let findingAt = -1;

  const byLane = new Map<number, ViewData['deliveries']>();
  for (const d of data.deliveries) (byLane.get(d[0]) ?? byLane.set(d[0], []).get(d[0])!).push(d);
  const findingsByLane = new Map<number, ViewData['findings']>();
  for (const f of data.findings) (findingsByLane.get(f.lane) ?? findingsByLane.set(f.lane, []).get(f.lane)!).push(f);

  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  $('summary').textContent = `${data.command} · ${count(data.events, 'event')} · ${ms(data.endT)} · ${count(data.lanes.length - 1, 'request')} · ${count(data.findings.length, 'finding')}`;
  if (data.found) {
    const box = $('explanation');
    box.hidden = false;
    box.append(el('strong', '', 'Found by explore: '), el('span', 'explanation-text', data.found.explanation));
    if (data.found.reason) box.append(el('div', 'reason', `${data.found.oracle ?? ''}: ${data.found.reason}`));
    for (const m of data.found.moved) box.append(el('div', 'moved-id', `moved: ${m}`));
  }
  for (const note of data.missing) $('notes').append(el('div', 'note', note));

  function drawLanes(): void {
    const list = $('lanes');
    list.replaceChildren();
    list.append(axis());
    const lanes = data.lanes.slice(page * PAGE, (page + 1) * PAGE);
    for (const [i, lane] of lanes.entries()) {
      const index = page * PAGE + i;
      const row = el('div', `lane${lane.failed ? ' failed' : ''}${index === selected ? ' selected' : ''}`);
      row.dataset.lane = String(lane.id);
      row.append(el('div', 'lane-label', lane.label), el('div', 'lane-status', lane.status));
      const track = el('div', 'lane-track');
      const span = el('div', 'span');
      span.style.left = pct(lane.start);
      span.style.width = `max(2px, ${pct((lane.end ?? data.endT) - lane.start)})`;
      span.title = `${lane.label}: ${ms(lane.start)} → ${lane.end === null ? 'still open' : ms(lane.end)}`;
      track.append(span);
      const marks = byLane.get(lane.id) ?? [];
      for (const d of marks.slice(0, MAX_MARKS)) {
        const mark = el('div', `delivery${d[4] ? ' moved' : ''}`);
        mark.style.left = pct(d[1]);
        mark.title = `${d[3]} · seq ${d[2]} · ${ms(d[1])}${d[4] ? ' · moved by explore' : ''}`;
        track.append(mark);
      }
      if (marks.length > MAX_MARKS) track.append(el('span', 'more', `+${marks.length - MAX_MARKS}`));
      for (const f of findingsByLane.get(lane.id) ?? []) {
        const mark = el('div', `finding-mark ${f.severity}`);
        mark.style.left = pct(f.t);
        mark.title = `${f.kind}: ${f.message} · seq ${f.seq}`;
        track.append(mark);
      }
      row.append(track);
      row.addEventListener('click', () => select(index));
      list.append(row);
    }
    const pages = Math.ceil(data.lanes.length / PAGE);
    $('page').textContent = `lanes ${page * PAGE + 1}–${Math.min((page + 1) * PAGE, data.lanes.length)} of ${data.lanes.length}${pages > 1 ? ' (PageUp/PageDown)' : ''}`;
  }

  /** The time axis above the lanes: five ticks from the start of the recording to its end. */
  function axis(): HTMLElement {
    const row = el('div', 'axis');
    row.append(el('div', 'lane-label', 'time since start'), el('div', 'lane-status', ''));
    const track = el('div', 'lane-track');
    for (let i = 0; i <= 4; i++) {
      const tick = el('span', 'tick', ms((data.endT * i) / 4));
      tick.style.left = `${i * 25}%`;
      track.append(tick);
    }
    row.append(track);
    return row;
  }

  function drawFindings(): void {
    const list = $('findings');
    list.replaceChildren();
    if (data.findings.length === 0) list.append(el('div', 'none', 'no findings'));
    for (const [i, f] of data.findings.entries()) {
      const row = el('div', `finding ${f.severity}${i === findingAt ? ' current' : ''}`);
      row.append(el('span', 'kind', f.kind), el('span', 'message', f.message));
      row.append(el('div', 'path', f.taskPath), el('div', 'where', `${f.location ?? 'location unknown'} · seq ${f.seq} · ${ms(f.t)}`));
      row.addEventListener('click', () => toFinding(i));
      list.append(row);
    }
  }

  function drawTree(): void {
    const box = $('tree');
    box.replaceChildren();
    const lane = data.lanes[selected];
    if (!lane) {
      box.append(el('div', 'none', 'select a request (click, or j/k then enter) to see its task tree'));
      return;
    }
    box.append(el('h3', 'tree-title', `${lane.label} ${lane.status}`));
    tasks ??= readTasks();
    const cols = tasks[lane.id];
    if (!cols || cols.id.length === 0) {
      box.append(el('div', 'none', 'no tasks recorded for this request'));
      return;
    }
    const kids = new Map<number, number[]>();
    for (let i = 0; i < cols.id.length; i++) (kids.get(cols.parent[i]) ?? kids.set(cols.parent[i], []).get(cols.parent[i])!).push(i);
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

  function select(index: number): void {
    selected = Math.max(0, Math.min(data.lanes.length - 1, index));
    page = Math.floor(selected / PAGE);
    drawLanes();
    drawTree();
    document.querySelector('.lane.selected')?.scrollIntoView({ block: 'nearest' });
  }

  function toFinding(i: number): void {
    findingAt = i;
    drawFindings();
    select(data.lanes.findIndex((l) => l.id === data.findings[i].lane));
  }

  function key(e: KeyboardEvent): void {
    const help = $('help');
    if (e.key === '?') help.hidden = !help.hidden;
    else if (e.key === 'Escape') help.hidden = true;
    else if (e.key === 'j' || e.key === 'ArrowDown') select(selected + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') select(selected - 1);
    else if (e.key === 'g' || e.key === 'Home') select(0);
    else if (e.key === 'G' || e.key === 'End') select(data.lanes.length - 1);
    else if (e.key === 'PageDown') select(selected + PAGE);
    else if (e.key === 'PageUp') select(selected - PAGE);
    else if ((e.key === 'f' || e.key === 'F') && data.findings.length > 0) toFinding((findingAt + (e.key === 'f' ? 1 : data.findings.length - 1)) % data.findings.length);
    else if (e.key === 'Enter' || e.key === ' ') select(Math.max(selected, 0));
    else return;
    e.preventDefault();
  }

  document.addEventListener('keydown', key);
  drawLanes();
  drawFindings();
  drawTree();
  document.body.dataset.ready = 'true';
}
