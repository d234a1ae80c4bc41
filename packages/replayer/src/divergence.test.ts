import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '@looptape/recording';
import { stream } from '../test/support/events.js';
import { formatDivergence, nearestRequests } from './divergence.js';

const recorded = stream()
  .out(1, 'GET', 'http://up:1/price?item=widget')
  .out(2, 'GET', 'http://up:1/stock?item=widget')
  .out(3, 'GET', 'http://up:1/price?item=gadget')
  .out(4, 'POST', 'http://up:1/reserve', '{"seat":"12A"}')
  .out(5, 'GET', 'http://up:1/price?item=widget')
  .events as HttpRequest[];

describe('nearestRequests', () => {
  it('puts the same path with another query first, then another path with the same query', () => {
    const near = nearestRequests(recorded, 'GET', 'http://up:1/price?item=gizmo', '')!;
    expect(near[0].url).toMatch(/\/price\?item=(widget|gadget)$/);
    expect(near.map((n) => n.url)).toContain('http://up:1/price?item=gadget');
    const other = nearestRequests(recorded, 'GET', 'http://up:1/extra?item=gadget', '')!;
    expect(other[0].url).toMatch(/\/(price|stock)\?item=gadget$/);
  });

  it('lists at most three, each recorded request once, and says how each differs', () => {
    const near = nearestRequests(recorded, 'GET', 'http://up:1/nothing', '')!;
    expect(near).toHaveLength(3);
    expect(new Set(near.map((n) => `${n.method} ${n.url}`)).size).toBe(3);
    for (const n of near) expect(n.differences.join('; ')).toMatch(/^URL .* instead of http:\/\/up:1\/nothing/);
  });

  it('finds the request that differs only in its body, and says so', () => {
    const [n] = nearestRequests(recorded, 'POST', 'http://up:1/reserve', '{"seat":"12B"}')!;
    expect(n).toEqual({ method: 'POST', url: 'http://up:1/reserve', differences: ['body "{\\"seat\\":\\"12A\\"}"'] });
  });

  it('names the headers that differ, not the ones that say how a message is sent', () => {
    const withHeaders = [{ ...recorded[0], headers: { 'x-tenant': 'a', 'content-length': '0', authorization: 'Bearer <redacted:1>' } }];
    const [n] = nearestRequests(withHeaders, recorded[0].method, recorded[0].url, recorded[0].body, { 'x-tenant': 'b', 'x-trace': '7', 'content-length': '12', authorization: 'Bearer real' })!;
    expect(n.differences).toEqual(['header x-tenant: recorded "a", sent "b"', 'header x-trace: "7" not recorded']);
  });

  it('ranks a different method below a different path', () => {
    const [n] = nearestRequests(recorded, 'DELETE', 'http://up:1/price?item=widget', '')!;
    expect(n.differences[0]).toMatch(/^method GET instead of DELETE/);
  });
});

describe('formatDivergence', () => {
  it('prints what diverged, expected and actual with their sites, the task path, the location and the nearest requests', () => {
    const text = formatDivergence({
      code: 'UNRECORDED_REQUEST',
      message: 'the program made a request the recording does not have: GET http://up/extra',
      expected: { kind: 'http.request', what: 'GET http://up/price', site: 'app.mjs:12:29' },
      actual: { kind: 'http.request', what: 'GET http://up/extra', site: 'edited.mjs:29:9' },
      taskPath: '#1 GET /quote → GET http://up/extra',
      location: 'edited.mjs:29:9',
      nearest: [{ method: 'GET', url: 'http://up/price', differences: ['URL http://up/price instead of http://up/extra'] }],
    });
    expect(text.split('\n')).toEqual([
      'replay diverged: the program made a request the recording does not have: GET http://up/extra',
      '  expected: GET http://up/price  (at app.mjs:12:29)',
      '  actual:   GET http://up/extra  (at edited.mjs:29:9)',
      '  task:     #1 GET /quote → GET http://up/extra',
      '  location: edited.mjs:29:9',
      '  nearest recorded: GET http://up/price (URL http://up/price instead of http://up/extra)',
    ]);
  });
});
