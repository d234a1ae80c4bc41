import { describe, expect, it } from 'vitest';
import { stream } from '../test/support/events.js';
import { canonicalStream, clip } from './canonical.js';

describe('canonicalStream', () => {
  it('keeps what a replay must reproduce and drops deliveries and task events', () => {
    const s = stream()
      .in(1, 'GET', '/quote')
      .add('task.init', { type: 'PROMISE', trigger: 1, exec: 1 })
      .out(2, 'GET', 'http://up/price', '')
      .setTimeout(1, 150, { site: 'app.mjs:21:3' })
      .response(2, 'out', 200, '{"price":12}')
      .fire(1)
      .add('nondet', { source: 'Math.random', value: 0.5, site: 'app.mjs:9:9' })
      .add('console', { stream: 'stdout', text: 'quote 60\n' })
      .response(1, 'in', 200, '{"total":60}')
      .add('process.exit', { code: 0 });
    expect(canonicalStream(s.events).map((c) => c.match)).toEqual([
      'http.request GET http://up/price',
      'timer.set setTimeout(150)',
      'nondet Math.random',
      'console stdout quote 60\n',
      expect.stringMatching(/^http\.response 200 [0-9a-f]{8}$/),
      'process.exit 0',
    ]);
  });

  it('never compares timers set by Node internals', () => {
    const s = stream().setTimeout(1, 300000, { internal: true }).add('timer.clear', { timer: 1 }).setTimeout(2, 5);
    expect(canonicalStream(s.events).map((c) => c.match)).toEqual(['timer.set setTimeout(5)']);
  });

  it('compares a timer.clear through its timer, not its id', () => {
    const a = stream().setTimeout(7, 150).add('timer.clear', { timer: 7 });
    const b = stream().setTimeout(3, 150).add('timer.clear', { timer: 3 });
    expect(canonicalStream(a.events).map((c) => c.match)).toEqual(canonicalStream(b.events).map((c) => c.match));
    expect(canonicalStream(a.events)[1].match).toBe('timer.clear setTimeout(150)');
  });

  it('tells different inbound responses apart by status and body', () => {
    const match = (status: number, body: string) => canonicalStream(stream().response(1, 'in', status, body).events)[0].match;
    expect(match(200, '{"total":36}')).not.toBe(match(200, '{"total":60}'));
    expect(match(200, 'x')).not.toBe(match(500, 'x'));
    expect(match(200, 'x')).toBe(match(200, 'x'));
  });

  it('keeps the site of what the program did, for the divergence report', () => {
    const [c] = canonicalStream(stream().add('nondet', { source: 'Math.random', value: 0.1, site: 'app.mjs:4:2' }).events);
    expect(c).toMatchObject({ kind: 'nondet', what: 'Math.random()', site: 'app.mjs:4:2' });
  });
});

describe('clip', () => {
  it('flattens whitespace and cuts long text with an ellipsis', () => {
    expect(clip('a\n  b')).toBe('a b');
    expect(clip('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
