// Issue 3, point 3: an edited copy of an example, replayed against the recording of the
// original with `-- node edited.mjs`, exits 1 with a report naming the event the edit
// changed (its kind and what) and the edit's source line. In a long body, it shows where the
// two bodies first differ.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startLooptape } from '../../test-support/src/cli.js';
import { editedExample, fixture, looptape, NODE, recordExample, replayJson, scratch } from './support/cli.js';

const dir = scratch('divergence');
/** A folder of its own inside the file's. */
const fresh = () => fs.mkdtempSync(path.join(dir, 'run-'));
const tapes: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ['price-race', 'timeout-race', 'fire-and-forget']) {
    tapes[name] = path.join(dir, `${name}.tape`);
    await recordExample(name, tapes[name]);
  }
}, 90_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `file:line:column` of the edit. */
const at = (file: string, line: number) => new RegExp(`^${escape(file)}:${line}:\\d+$`);

describe('replaying an edited program against the recording of the original', () => {
  it('names an extra fetch as an unrecorded request, with its line and the nearest recorded requests', async () => {
    const { file, line } = editedExample(dir, 'price-race', (t) => t.replace(
      '  const q = await quote(',
      '  await fetch(`${UPSTREAM}/extra?item=widget`);\n  const q = await quote(',
    ), '/extra?item=widget');
    const { code, result } = await replayJson(tapes['price-race'], [], [NODE, file]);
    expect(code).toBe(1);
    expect(result.ok).toBe(false);
    const d = result.divergence!;
    expect(d.code).toBe('UNRECORDED_REQUEST');
    expect(d.actual).toMatchObject({ kind: 'http.request', what: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/extra\?item=widget$/) });
    expect(d.location).toMatch(at(file, line));
    expect(d.actual!.site).toBe(d.location);
    // The recorded requests of that moment come first: the same item, another path.
    expect(d.nearest!.length).toBeGreaterThan(0);
    expect(d.nearest!.slice(0, 2).map((n) => new URL(n.url).pathname).sort()).toEqual(['/price', '/stock']);
    expect(d.nearest![0].url).toMatch(/\?item=widget$/);
    expect(d.nearest![0].differences.join(' ')).toMatch(/URL .*\/extra\?item=widget/);
    expect(d.taskPath).toMatch(/^#\d+ GET \/quote\?item=widget&qty=5 → GET .*\/extra\?item=widget$/);
  }, 30_000);

  it('names a changed setTimeout delay as a timer.set with the new delay, at the edited line', async () => {
    const { file, line } = editedExample(dir, 'timeout-race', (t) => t.replace(
      "{ error: 'profile service timed out' }), TIMEOUT_MS);",
      "{ error: 'profile service timed out' }), TIMEOUT_MS + 50);",
    ), 'TIMEOUT_MS + 50');
    const { code, result } = await replayJson(tapes['timeout-race'], [], [NODE, file]);
    expect(code).toBe(1);
    const d = result.divergence!;
    expect(d.code).toBe('DIVERGENCE');
    expect(d.expected).toMatchObject({ kind: 'timer.set', what: 'setTimeout(…, 150)', site: expect.stringMatching(/examples\/timeout-race\/server\.mjs:21:\d+$/) });
    expect(d.actual).toMatchObject({ kind: 'timer.set', what: 'setTimeout(…, 200)' });
    expect(d.location).toMatch(at(file, line));
    expect(d.actual!.site).toBe(d.location);
    expect(d.taskPath).toMatch(/GET \/profile\?user=ada → setTimeout\(…, 200\)$/);
  }, 30_000);

  it('names an extra timer as a timer.set the recording does not have, at the edited line', async () => {
    const { file, line } = editedExample(dir, 'timeout-race', (t) => t.replace(
      '  const upstream = await fetch(',
      '  setTimeout(() => {}, 5);\n  const upstream = await fetch(',
    ), 'setTimeout(() => {}, 5);');
    const { code, result } = await replayJson(tapes['timeout-race'], [], [NODE, file]);
    expect(code).toBe(1);
    const d = result.divergence!;
    expect(d.code).toBe('DIVERGENCE');
    expect(d.actual).toMatchObject({ kind: 'timer.set', what: 'setTimeout(…, 5)' });
    expect(d.expected).toMatchObject({ kind: 'http.request', what: expect.stringMatching(/\/profile\/ada$/) });
    expect(d.location).toMatch(at(file, line));
  }, 30_000);

  it('names one more Math.random as a nondet draw, at the edited line', async () => {
    const { file, line } = editedExample(dir, 'fire-and-forget', (t) => t.replace(
      '  const order = await readJson(req);',
      '  const order = await readJson(req);\n  order.nonce = Math.random();',
    ), 'Math.random()');
    const { code, result } = await replayJson(tapes['fire-and-forget'], [], [NODE, file]);
    expect(code).toBe(1);
    const d = result.divergence!;
    expect(d.code).toBe('DIVERGENCE');
    expect(d.actual).toMatchObject({ kind: 'nondet', what: 'Math.random()' });
    expect(d.location).toMatch(at(file, line));
    expect(d.taskPath).toMatch(/^#\d+ POST \/order → Math\.random\(\)$/);
  }, 30_000);

  it('prints the report for people: what diverged, where, exit 1', async () => {
    const { file, line } = editedExample(dir, 'price-race', (t) => t.replace(
      '  const q = await quote(',
      '  await fetch(`${UPSTREAM}/extra?item=gadget`);\n  const q = await quote(',
    ), '/extra?item=gadget');
    const r = await looptape(['replay', tapes['price-race'], '--', NODE, file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^replay diverged: the program made a request the recording does not have: GET http:\/\/127\.0\.0\.1:\d+\/extra\?item=gadget$/m);
    expect(r.stdout).toMatch(new RegExp(`^  location: ${escape(file)}:${line}:\\d+$`, 'm'));
    // The first nearest has the same query (item=gadget), another path.
    expect(r.stdout.match(/^  nearest recorded: (.*)$/m)?.[1]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/(price|stock)\?item=gadget /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('an unedited copy replays without divergence (the edits above are what diverge)', async () => {
    const { file } = editedExample(dir, 'timeout-race', (t) => `${t}\n// an unchanged copy\n`, '// an unchanged copy');
    const { code, result } = await replayJson(tapes['timeout-race'], [], [NODE, file]);
    expect(result.divergence).toBeNull();
    expect(code).toBe(0);
  }, 30_000);
});

/** GET on a connection of its own, closed after the answer (the server can then close at once). */
function getOnce(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve(text)).on('error', reject);
    }).on('error', reject);
  });
}

describe('a divergence in a long response body', () => {
  afterEach(() => killAll());

  it('shows, in text and in --json expected.what/actual.what, the part where the two bodies first differ', async () => {
    const dir = fresh();
    const tape = path.join(dir, 'long.tape');
    const recording = startLooptape(['record', '--out', tape, '--', NODE, fixture('long-body.mjs')]);
    const [, port] = await recording.waitFor(/listening (\d+)\n/);
    const body = await getOnce(`http://127.0.0.1:${port}/report`);
    expect(body.length).toBeGreaterThan(5000);
    expect(body.endsWith(',"total":120}')).toBe(true);
    const recorded = await recording.finished;
    expect(recorded.code, recorded.err).toBe(0);

    const edited = path.join(dir, 'long-edited.mjs');
    const original = fs.readFileSync(fixture('long-body.mjs'), 'utf8');
    const text = original.replace('{ rows, total: rows.length }', '{ rows, total: rows.length, v: 2 }');
    expect(text).not.toBe(original);
    fs.writeFileSync(edited, text);

    const { result, ...run } = await replayJson(tape, ['--', NODE, edited]);
    expect(run.code).toBe(1);
    expect(result.ok).toBe(false);
    const d = result.divergence!;
    expect(d.expected).toMatchObject({ kind: 'http.response' });
    expect(d.actual).toMatchObject({ kind: 'http.response' });
    expect(d.actual!.what).toContain('"v":2');
    expect(d.expected!.what).not.toContain('"v":2');
    expect(d.expected!.what).toContain('"total":120}');
    // Not the head of the bodies, which is the same in both.
    expect(d.actual!.what).not.toContain('{"rows":[{"id":0');

    const shown = await looptape(['replay', tape, '--', NODE, edited]);
    expect(shown.code).toBe(1);
    const report = shown.stdout + shown.stderr;
    const expectedLine = report.split('\n').find((l) => /^\s*expected:/.test(l));
    const actualLine = report.split('\n').find((l) => /^\s*actual:/.test(l));
    expect(actualLine, report).toContain('"v":2');
    expect(expectedLine, report).toBeDefined();
    expect(expectedLine).not.toContain('"v":2');
    expect(expectedLine).toContain('"total":120}');
  });
});
