import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../../test/checkout.js';
import { checkout, run } from '../../test/setup.js';
import { OUTSIDE, scopeKey, taskKey } from '../data/task-index.js';
import { treeRows } from './tree.js';
import { initialState, update } from './update.js';

describe('stepping in time', () => {
  it('starts on the first event with the tree on the first request', () => {
    const { state } = checkout();
    expect(state.cursor).toBe(CHECKOUT.first);
    expect(state.selected).toBe(scopeKey(1));
  });

  it('steps to the next and previous event', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'step', by: 1 }, { type: 'step', by: 1 }, { type: 'step', by: -1 });
    expect(s.cursor).toBe(2);
    expect(s.subject).toBe('event');
  });

  it('says so instead of moving past either end', () => {
    const { state, data } = checkout();
    const s = update(state, { type: 'step', by: -1 }, data);
    expect(s.cursor).toBe(CHECKOUT.first);
    expect(s.message).toBe('at the first event');
  });

  it('jumps to the end and back to the start', () => {
    const { state, data } = checkout();
    expect(run(state, data, { type: 'jump', to: 'end' }).cursor).toBe(CHECKOUT.exit);
    expect(run(state, data, { type: 'jump', to: 'end' }, { type: 'jump', to: 'start' }).cursor).toBe(CHECKOUT.first);
  });

  it('goes from delivery to delivery, skipping what the program does itself', () => {
    const { state, data } = checkout();
    const seen: number[] = [];
    let s = state;
    for (let i = 0; i < 4; i++) seen.push((s = update(s, { type: 'seek', target: 'delivery', dir: 1 }, data)).cursor);
    expect(seen).toEqual([CHECKOUT.priceRequest, CHECKOUT.checkoutRequest, CHECKOUT.stockResponse, CHECKOUT.timerFire]);
    expect(update(s, { type: 'seek', target: 'delivery', dir: -1 }, data).cursor).toBe(CHECKOUT.stockResponse);
  });

  it('selects and reveals the task the cursor event happened in', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'delivery', dir: 1 }, { type: 'seek', target: 'delivery', dir: 1 }, { type: 'seek', target: 'delivery', dir: 1 }, { type: 'step', by: 1 }, { type: 'step', by: 1 });
    expect(s.cursor).toBe(CHECKOUT.stockResponse + 2);
    expect(s.selected).toBe(taskKey(6));
    expect(s.expanded.has(scopeKey(2)) && s.expanded.has(taskKey(5))).toBe(true);
  });

  it('selects and opens the request scope for an inbound request that arrives on an outside socket', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'delivery', dir: 1 });
    expect(s.selected).toBe(scopeKey(1));
    expect(s.expanded.has(scopeKey(1))).toBe(true);
    const next = update(s, { type: 'step', by: 1 }, data);
    expect(treeRows(data, next).map((r) => r.key)).toEqual([scopeKey(1), taskKey(4), scopeKey(2), OUTSIDE]);
  });
});

describe('jumping to findings and errors', () => {
  it('jumps to the next finding, selects its task and names it', () => {
    const { state, data } = checkout();
    const s = update(state, { type: 'seek', target: 'finding', dir: 1 }, data);
    expect(s.cursor).toBe(CHECKOUT.timerFire);
    expect(s.selected).toBe(taskKey(7));
    expect(s.subject).toBe('node');
    expect(s.message).toContain('orphaned-task');
  });

  it('goes on to the next finding, then reports none left', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'finding', dir: 1 }, { type: 'seek', target: 'finding', dir: 1 });
    expect(s.cursor).toBe(CHECKOUT.rejection);
    expect(update(s, { type: 'seek', target: 'finding', dir: 1 }, data).message).toBe(`no finding after seq ${CHECKOUT.rejection}`);
  });

  it('explains that findings are still loading', () => {
    const { state, data } = checkout({ report: null });
    expect(update(state, { type: 'seek', target: 'finding', dir: 1 }, data).message).toBe('findings are still being analysed');
  });

  it('jumps to the next error', () => {
    const { state, data } = checkout();
    expect(update(state, { type: 'seek', target: 'error', dir: 1 }, data).cursor).toBe(CHECKOUT.rejection);
  });
});

describe('search', () => {
  it('types a query, then finds the next event containing it', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'search-start' }, ...[...'retry'].map((text) => ({ type: 'search-type' as const, text })), { type: 'search-commit' });
    expect(s.cursor).toBe(CHECKOUT.console + 6);
    expect(s.search).toEqual({ editing: false, draft: '', query: 'retry' });
  });

  it('repeats the search forward with n and backward with N', () => {
    const { state, data } = checkout();
    let s = run(state, data, { type: 'search-start' }, { type: 'search-type', text: 'stock' }, { type: 'search-commit' });
    expect(s.cursor).toBe(CHECKOUT.stockRequest);
    s = update(s, { type: 'seek', target: 'match', dir: 1 }, data);
    expect(s.cursor).toBe(CHECKOUT.stockResponse);
    expect(update(s, { type: 'seek', target: 'match', dir: -1 }, data).cursor).toBe(CHECKOUT.stockRequest);
  });

  it('finds a request by #N and an event by seq:N', () => {
    const { state, data } = checkout();
    expect(run(state, data, { type: 'search-start' }, { type: 'search-type', text: '#2' }, { type: 'search-commit' }).cursor).toBe(CHECKOUT.checkoutRequest);
    expect(run(state, data, { type: 'search-start' }, { type: 'search-type', text: 'seq:21' }, { type: 'search-commit' }).cursor).toBe(21);
  });

  it('leaves the cursor and says so when nothing matches', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'search-start' }, { type: 'search-type', text: 'nowhere' }, { type: 'search-commit' });
    expect(s.cursor).toBe(CHECKOUT.first);
    expect(s.message).toBe('no match for "nowhere" after seq 1');
  });

  it('cancels with esc without moving', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'search-start' }, { type: 'search-type', text: 'stock' }, { type: 'search-cancel' });
    expect(s.search.editing).toBe(false);
    expect(s.cursor).toBe(CHECKOUT.first);
  });
});

describe('the tree', () => {
  it('opens and closes the selected node with enter', () => {
    const { state, data } = checkout();
    const atEnd = run(state, data, { type: 'jump', to: 'end' }, { type: 'focus', pane: 'tree' }, { type: 'edge', to: 'top' }, { type: 'move', by: 1 });
    expect(atEnd.selected).toBe(scopeKey(2));
    const opened = update(atEnd, { type: 'enter' }, data);
    expect(treeRows(data, opened).map((r) => r.key)).toEqual([scopeKey(1), scopeKey(2), taskKey(5), taskKey(7), OUTSIDE]);
    expect(treeRows(data, update(opened, { type: 'enter' }, data))).toHaveLength(3);
  });

  it('shows only the tasks that exist at the cursor', () => {
    const { state, data } = checkout();
    const s = { ...state, expanded: new Set([scopeKey(2), taskKey(5)]) };
    const keys = (cursor: number) => treeRows(data, { ...s, cursor }).map((r) => r.key);
    expect(keys(CHECKOUT.checkoutRequest)).toEqual([scopeKey(1), scopeKey(2), OUTSIDE]);
    expect(keys(CHECKOUT.stockRequest)).toEqual([scopeKey(1), scopeKey(2), taskKey(5), taskKey(6), OUTSIDE]);
  });

  it('filters to the nodes with findings', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'jump', to: 'end' }, { type: 'toggle-findings-only' });
    expect(treeRows(data, s).map((r) => r.key)).toEqual([scopeKey(2), taskKey(7)]);
  });

  it('hides settled tasks on request', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'jump', to: 'end' }, { type: 'toggle-hide-settled' });
    expect(treeRows(data, { ...s, expanded: new Set([scopeKey(2), taskKey(5)]) }).map((r) => r.key)).not.toContain(taskKey(6));
  });

  it('keeps the selection in view when moving past the bottom', () => {
    const { state, data } = checkout({ height: 16 });
    const all = new Set([scopeKey(1), scopeKey(2), taskKey(5), OUTSIDE, taskKey(2)]);
    const s = run({ ...state, expanded: all }, data, { type: 'jump', to: 'end' }, { type: 'focus', pane: 'tree' }, { type: 'edge', to: 'bottom' });
    const rows = treeRows(data, s);
    expect(s.selected).toBe(rows[rows.length - 1].key);
    expect(s.treeScroll).toBeGreaterThan(0);
  });
});

describe('panes', () => {
  it('cycles focus tree → events → detail → tree', () => {
    const { state, data } = checkout();
    const focus = [1, 2, 3].map((n) => run(state, data, ...Array(n).fill({ type: 'focus-cycle', by: 1 })).focus);
    expect(focus).toEqual(['events', 'detail', 'tree']);
  });

  it('steps in time when moving in the events pane', () => {
    const { state, data } = checkout();
    expect(run(state, data, { type: 'focus', pane: 'events' }, { type: 'move', by: 3 }).cursor).toBe(4);
  });

  it('scrolls the detail pane, but not past its last line', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'delivery', dir: 1 }, { type: 'seek', target: 'delivery', dir: 1 }, { type: 'focus', pane: 'detail' }, { type: 'move', by: 2 });
    expect(s.detailScroll).toBe(2);
    expect(update(s, { type: 'edge', to: 'bottom' }, data).detailScroll).toBeLessThan(100);
  });

  it('shows an event\'s task in the tree on enter in the events pane', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'finding', dir: 1 }, { type: 'focus', pane: 'events' }, { type: 'step', by: 1 }, { type: 'enter' });
    expect(s.focus).toBe('tree');
    expect(s.selected).toBe(taskKey(7));
  });
});

describe('a recording explore found', () => {
  it('opens saying what it shows, until the next message', () => {
    const { data } = checkout();
    const found = { ...data, meta: { ...data.meta, found: { parent: null, seed: 7, strategy: 'pct', run: 2, until: ['differs'], oracle: 'differs', reason: 'GET /quote answered 60 instead of 36', explanation: 'fails when GET /stock answers before GET /price answers', moved: [], schedule: [] } } };
    const state = initialState(found, { width: 100, height: 30 });
    expect(state.message).toBe('found by explore (seed 7): fails when GET /stock answers before GET /price answers — GET /quote answered 60 instead of 36');
    expect(initialState(data, { width: 100, height: 30 }).message).toBeNull();
    expect(update(state, { type: 'step', by: -1 }, found).message).toBe('at the first event');
  });
});
