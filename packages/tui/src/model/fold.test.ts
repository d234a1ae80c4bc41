import { afterEach, describe, expect, it } from 'vitest';
import { RecordingWriter, type LoopEvent, type RecordingReader } from '@looptape/recording';
import { RecordingBuilder } from '@looptape/test-support';
import { open, tempDir } from '../../test/tape.js';
import { EventCount } from '../data/event-count.js';
import { openInspectData } from '../data/inspect-data.js';
import { foldKey, scopeKey, taskKey } from '../data/task-index.js';
import { rowText } from './tree-text.js';
import { treeRows } from './tree.js';
import { initialState, update } from './update.js';

const readers: RecordingReader[] = [];
afterEach(() => {
  for (const r of readers.splice(0)) r.close();
});

/**
 * One request (#1) whose handler (task 3) sets a timer (10), makes `n` promises (100…, each with
 * a task.stack at `site(i)` when given), sets another timer (11), and answers once they resolved.
 */
function fan(n: number, site?: (i: number) => string): { file: string; promises: number[] } {
  const b = new RecordingBuilder(`${tempDir()}/fan.tape`, { stacks: site !== undefined });
  const scope = { trigger: 3, exec: 3, scope: 1 };
  b.at(0).task(3, 'TCPWRAP', { exec: 0 }).before(3);
  b.event({ kind: 'http.request', exchange: 1, direction: 'in', method: 'GET', url: '/sum', headers: {}, body: '', task: 3, scope: 1 });
  b.task(10, 'Timeout', scope).event({ kind: 'timer.set', timer: 1, api: 'setTimeout', delay: 10, repeat: false, resource: 10, task: 3, scope: 1 });
  const promises = Array.from({ length: n }, (_, i) => 100 + i);
  for (const [i, p] of promises.entries()) {
    b.task(p, 'PROMISE', scope);
    if (site) b.event({ kind: 'task.stack', site: site(i), frames: [site(i)], task: p, scope: 1 });
  }
  b.task(11, 'Timeout', scope).event({ kind: 'timer.set', timer: 2, api: 'setTimeout', delay: 20, repeat: false, resource: 11, task: 3, scope: 1 });
  for (const p of promises) b.resolve(p);
  b.at(1).event({ kind: 'http.response', exchange: 1, direction: 'in', status: 200, headers: {}, body: 'ok', task: 3, scope: 1 }).after(3);
  return { file: b.close(), promises };
}

function inspect(file: string) {
  const reader = open(file);
  readers.push(reader);
  const data = openInspectData(reader);
  const state = initialState(data, { width: 100, height: 30, report: { findings: [], missing: [] } });
  return { data, state: update(update(state, { type: 'jump', to: 'end' }, data), { type: 'focus', pane: 'tree' }, data) };
}

describe('runs of anonymous promises', () => {
  it('fold into one row with their count and common site, between the other tasks', () => {
    const { file, promises } = fan(23, () => 'app.mjs:14:9');
    const { data, state } = inspect(file);
    const opened = { ...state, expanded: new Set([...state.expanded, scopeKey(1)]) };
    const rows = treeRows(data, opened);
    const fold = rows.find((r) => r.fold)!;
    expect(fold.key).toBe(foldKey(promises[0]));
    expect(fold.fold!.members).toEqual(promises);
    expect(rowText(fold, data, opened)).toMatchObject({ label: 'PROMISE ×23 at app.mjs:14', stateText: 'settled' });
    // The two timers stay rows of their own, around the fold.
    expect(rows.slice(0, 4).map((r) => rowText(r, data, opened).label)).toEqual(['#1 GET /sum', expect.stringMatching(/^setTimeout 10ms/), 'PROMISE ×23 at app.mjs:14', expect.stringMatching(/^setTimeout 20ms/)]);
  });

  it('without stacks, say what they are under; from two sites, fold apart', () => {
    const bare = inspect(fan(5).file);
    const opened = { ...bare.state, expanded: new Set([scopeKey(1)]) };
    expect(treeRows(bare.data, opened).filter((r) => r.fold).map((r) => rowText(r, bare.data, opened).label)).toEqual(['PROMISE ×5 under #1 GET /sum']);
    const two = inspect(fan(8, (i) => (i < 4 ? 'app.mjs:3:1' : 'lib.mjs:9:2')).file);
    const both = { ...two.state, expanded: new Set([scopeKey(1)]) };
    expect(treeRows(two.data, both).filter((r) => r.fold).map((r) => rowText(r, two.data, both).label)).toEqual(['PROMISE ×4 at app.mjs:3', 'PROMISE ×4 at lib.mjs:9']);
  });

  it('leave fewer than three promises unfolded', () => {
    const { data, state } = inspect(fan(2).file);
    expect(treeRows(data, { ...state, expanded: new Set([scopeKey(1)]) }).some((r) => r.fold)).toBe(false);
  });

  it('open with enter on the fold, and open by themselves when a promise in them is asked for', () => {
    const { file, promises } = fan(6, () => 'app.mjs:14:9');
    const { data, state } = inspect(file);
    const opened = { ...state, expanded: new Set([scopeKey(1)]), selected: foldKey(promises[0]) };
    const entered = update(opened, { type: 'enter' }, data);
    const rows = treeRows(data, entered);
    const at = rows.findIndex((r) => r.key === foldKey(promises[0]));
    expect(rows[at].open).toBe(true);
    expect(rows.slice(at + 1, at + 7).map((r) => [r.key, r.depth])).toEqual(promises.map((p) => [taskKey(p), rows[at].depth + 1]));
    // Closed again, then one of its promises selected (as an event or a finding selects it): the fold opens.
    const closed = update(entered, { type: 'enter' }, data);
    expect(treeRows(data, closed).find((r) => r.fold)!.open).toBe(false);
    const asked = update({ ...closed, selected: taskKey(promises[3]) }, { type: 'dismiss' }, data);
    expect(asked.expanded.has(foldKey(promises[0]))).toBe(true);
    expect(asked.selected).toBe(taskKey(promises[3]));
  });
});

describe('the event count', () => {
  it('counts events, not seqs: a seq taken and never used is not an event', () => {
    const file = `${tempDir()}/gaps.tape`;
    const writer = RecordingWriter.create(file);
    // Seqs 3 and 4 were taken for events that never came.
    const seqs = [1, 2, 5, 6, 7];
    writer.write(seqs.map((seq) => ({ seq, t: seq, kind: 'console', task: 1, scope: null, process: 0, stream: 'stdout', text: `${seq}\n` }) as LoopEvent));
    writer.close();
    const reader = open(file);
    readers.push(reader);
    const count = EventCount.of(reader);
    expect(count.total).toBe(5);
    expect(seqs.map((s) => count.numberOf(s))).toEqual([1, 2, 3, 4, 5]);
    expect(EventCount.fromJSON(count.toJSON()).numberOf(7)).toBe(5);
  });
});
