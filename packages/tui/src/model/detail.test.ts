import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../../test/checkout.js';
import { checkout, run } from '../../test/setup.js';
import { scopeKey, taskKey } from '../data/task-index.js';
import { detailLines, taskPath } from './detail.js';

const text = (lines: { text: string }[]) => lines.map((l) => l.text).join('\n');

describe('the detail pane', () => {
  it('shows an HTTP event with its exchange: request and response, bodies pretty-printed', () => {
    const { state, data } = checkout();
    const s = { ...state, cursor: CHECKOUT.stockResponse, subject: 'event' as const };
    const out = text(detailLines(data, s, 60));
    expect(out).toContain('http.response  seq 18  t 30.0ms');
    expect(out).toContain('→ GET http://127.0.0.1:4000/stock   seq 14  t 10.0ms');
    expect(out).toContain('← 200   seq 18  t 30.0ms  (20ms)');
    expect(out).toContain('    "stock": 3');
  });

  it('shows a request scope with both bodies', () => {
    const { state, data } = checkout();
    const out = text(detailLines(data, { ...state, selected: scopeKey(2), subject: 'node' }, 60));
    expect(out).toContain('#2 POST /checkout');
    expect(out).toContain('    "item": "book",');
    expect(out).toContain('    "order": 17');
  });

  it('shows a task with where it was created, its path and its findings', () => {
    const { state, data } = checkout();
    const s = run(state, data, { type: 'seek', target: 'finding', dir: 1 });
    const out = text(detailLines(data, s, 60));
    expect(out).toContain('setTimeout 200ms 7  pending  200ms so far');
    expect(out).toContain('site:     /app/server.mjs:12:5');
    expect(out).toContain('timer:    setTimeout(200)');
    expect(out).toContain('path:     #2 POST /checkout → setTimeout 200ms 7');
    expect(out).toContain('! orphaned-task (error)  seq 25');
  });

  it('shows an error event with its stack', () => {
    const { state, data } = checkout();
    const out = text(detailLines(data, { ...state, cursor: CHECKOUT.rejection, subject: 'event' }, 60));
    expect(out).toContain('message:  boom');
    expect(out).toContain('  at /app/server.mjs:30:9');
  });

  it('names a task path from its request down', () => {
    const { data } = checkout();
    expect(taskPath(data, taskKey(6))).toBe('#2 POST /checkout → PROMISE 5 → PROMISE 6');
    expect(taskPath(data, taskKey(3))).toBe('(outside requests) → TCPSERVERWRAP 2 → TCPWRAP 3');
  });
});
