import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../../test/checkout.js';
import { checkout } from '../../test/setup.js';
import { RecordingBuilder } from '@looptape/test-support';
import { open, tempDir } from '../../test/tape.js';
import { openInspectData } from '../data/inspect-data.js';
import { runningAt, taskDuration, taskState } from './task-state.js';
import { cursorView } from './view.js';

function stateAt(data: ReturnType<typeof checkout>['data'], task: number, cursor: number) {
  return taskState(data.tasks.task(task)!, cursorView(data, cursor).ctx);
}

describe('task state at the cursor', () => {
  it('is running between its before and after hooks', () => {
    const { data } = checkout();
    expect(stateAt(data, 7, CHECKOUT.timerFire)).toBe('pending');
    expect(stateAt(data, 7, CHECKOUT.timerFire + 2)).toBe('running');
    expect(stateAt(data, 7, CHECKOUT.timerFire + 3)).toBe('settled');
  });

  it('settles a promise when it resolves', () => {
    const { data } = checkout();
    expect(stateAt(data, 6, CHECKOUT.stockResponse)).toBe('pending');
    expect(stateAt(data, 6, CHECKOUT.stockResponse + 1)).toBe('settled');
  });

  it('calls a never-settled task leaked at the end, pending before', () => {
    const b = new RecordingBuilder(`${tempDir()}/p.tape`);
    b.event({ kind: 'console', stream: 'stdout', text: 'x' }).task(9, 'PROMISE').event({ kind: 'process.exit', code: 0 });
    const data = openInspectData(open(b.close()));
    expect(stateAt(data, 9, 2)).toBe('pending');
    expect(stateAt(data, 9, 3)).toBe('leaked');
  });

  it('calls work leaked once its request has answered without it', () => {
    const b = new RecordingBuilder(`${tempDir()}/o.tape`);
    b.event({ kind: 'http.request', exchange: 1, direction: 'in', method: 'GET', url: '/', headers: {}, body: '', scope: 1 });
    b.task(9, 'PROMISE', { scope: 1 }).task(10, 'TCPWRAP', { scope: 1 });
    b.event({ kind: 'http.response', exchange: 1, direction: 'in', status: 200, headers: {}, body: '', scope: 1 });
    b.event({ kind: 'console', stream: 'stdout', text: 'after' }).event({ kind: 'process.exit', code: 0 });
    const data = openInspectData(open(b.close()));
    expect(stateAt(data, 9, 3)).toBe('pending');
    expect(stateAt(data, 9, 4)).toBe('leaked');
    expect(stateAt(data, 10, 5)).toBe('pending');
  });

  it('keeps an interval pending until it is cleared', () => {
    const b = new RecordingBuilder(`${tempDir()}/i.tape`);
    b.task(9, 'Timeout').event({ kind: 'timer.set', timer: 1, api: 'setInterval', delay: 10, repeat: true, resource: 9 });
    b.at(10).event({ kind: 'timer.fire', timer: 1, task: 9 }).before(9).after(9);
    b.at(15).event({ kind: 'timer.clear', timer: 1 }).event({ kind: 'process.exit', code: 0 });
    const data = openInspectData(open(b.close()));
    expect(stateAt(data, 9, 5)).toBe('pending');
    expect(stateAt(data, 9, 6)).toBe('settled');
    expect(taskDuration(data.tasks.task(9)!, cursorView(data, 7).ctx)).toEqual({ ms: 15, open: false });
  });

  it('measures an unsettled task up to the cursor, open-ended', () => {
    const { data } = checkout();
    expect(taskDuration(data.tasks.task(7)!, cursorView(data, CHECKOUT.stockResponse).ctx)).toEqual({ ms: 20, open: true });
  });
});

describe('runningAt', () => {
  it('finds nested callbacks still on the stack', () => {
    const b = new RecordingBuilder(`${tempDir()}/r.tape`);
    b.task(5, 'Timeout').task(6, 'PROMISE').before(5).before(6).after(6).before(6).event({ kind: 'console', stream: 'stdout', text: 'in' });
    const data = openInspectData(open(b.close()));
    expect([...runningAt(data.pages, data.lastSeq)].sort()).toEqual([5, 6]);
    expect([...runningAt(data.pages, 5)]).toEqual([5]);
  });
});
