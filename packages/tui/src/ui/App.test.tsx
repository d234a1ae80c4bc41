import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { CHECKOUT_REPORT } from '../../test/checkout.js';
import { ENTER, ESC, TAB, lineWith, renderCheckout } from '../../test/render.js';

afterEach(() => cleanup());

describe('inspect app', () => {
  it('fills an 80x24 terminal: requests, detail, events and key hints', () => {
    const { frame } = renderCheckout();
    const lines = frame().split('\n');
    expect(lines).toHaveLength(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(frame()).toContain('#2 POST /checkout');
    expect(lineWith(frame(), '▶')).toContain('task.init');
    expect(lines[23]).toContain('? help  q quit');
  });

  it('uses the room of a larger terminal', () => {
    const { frame } = renderCheckout({ width: 120, height: 40 });
    const lines = frame().split('\n');
    expect(lines).toHaveLength(40);
    expect(lines[1]).toHaveLength(120);
  });

  it('steps to the next event with l and back with h', async () => {
    const { press } = renderCheckout();
    expect(lineWith(await press('l'), '▶')).toMatch(/▶\s*2 .*http\.listen/);
    expect(lineWith(await press('h'), '▶')).toMatch(/▶\s*1 .*task\.init/);
  });

  it('goes to the next delivery with d and shows its exchange', async () => {
    const { press } = renderCheckout();
    const frame = await press('d', 'd', 'd');
    expect(lineWith(frame, '▶')).toContain('http.response out #3 200');
    expect(frame).toContain('→ GET http://127.0.0.1:4000/stock');
  });

  it('opens a request with enter to show its tasks and their states', async () => {
    const { press } = renderCheckout();
    const frame = await press('>', 'j', ENTER);
    expect(lineWith(frame, 'PROMISE 5')).toContain('settled 21ms');
    expect(lineWith(frame, 'setTimeout 200ms 7')).toContain('settled 200ms');
  });

  it('jumps to a finding with f: marked in the tree, named in the status line', async () => {
    const { press } = renderCheckout({ report: CHECKOUT_REPORT });
    const frame = await press('f');
    expect(frame.split('\n').find((l) => l.startsWith('║!'))).toMatch(/^║!\s+setTimeout 200ms 7\s+pending 200ms…/);
    expect(frame).toContain('orphaned-task: setTimeout 200ms fired after POST /checkout responded');
    expect(lineWith(frame, '▶')).toContain('timer.fire');
  });

  it('marks a closed request that has findings inside', async () => {
    const { frame } = renderCheckout({ report: CHECKOUT_REPORT });
    expect(lineWith(frame(), '#2 POST /checkout')).toContain('!1');
  });

  it('shows findings once the analysis arrives', async () => {
    let deliver: (r: typeof CHECKOUT_REPORT) => void = () => {};
    const { frame, press } = renderCheckout({ pending: new Promise((resolve) => (deliver = resolve)) });
    expect(frame().split('\n')[0]).toContain('analysing…');
    deliver(CHECKOUT_REPORT);
    expect((await press()).split('\n')[0]).toContain('2 findings');
  });

  it('searches with / and repeats with n', async () => {
    const { press } = renderCheckout();
    let frame = await press('/', 's', 't', 'o', 'c', 'k');
    expect(frame.split('\n')[23]).toContain('/stock');
    frame = await press(ENTER);
    expect(lineWith(frame, '▶')).toContain('http.request  out #3 GET');
    expect(lineWith(await press('n'), '▶')).toContain('http.response out #3 200');
  });

  it('opens the help with ? and closes it with esc', async () => {
    const { press } = renderCheckout();
    expect(await press('?')).toContain('looptape inspect: keys');
    const closed = await press(ESC);
    expect(closed).not.toContain('looptape inspect: keys');
    expect(closed).toContain('Events');
  });

  it('moves focus with tab: the focused pane has a double border', async () => {
    const { press, frame } = renderCheckout();
    expect(frame().split('\n')[1]).toMatch(/^╔═ Tasks/);
    const next = await press(TAB);
    expect(next.split('\n')[1]).toMatch(/^┌─ Tasks/);
    expect(lineWith(next, 'Events')).toMatch(/^╔═ Events/);
  });

  it('filters the tree to findings with !', async () => {
    const { press } = renderCheckout({ report: CHECKOUT_REPORT });
    const frame = await press('>', '!');
    expect(frame).toContain('Tasks (findings only)');
    expect(frame).not.toContain('#1 GET /price');
    expect(frame).toContain('setTimeout 200ms 7');
  });
});
