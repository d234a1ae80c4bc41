/**
 * `looptape view` makes a page a user opens in a real browser (headless chromium): the
 * requests as swimlanes with their deliveries, the findings with task paths and source
 * lines, the task tree of a request once it is clicked, the keys of inspect, and for a
 * recording explore found, its explanation with the moved delivery highlighted. The page
 * loads nothing from the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { BIN, contents, killAll, looptape, node, recordExample, removeTemps, ROOT, tempDir, type Contents } from './support.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = tempDir();
});
afterEach(() => killAll());
afterAll(async () => {
  await browser?.close();
  removeTemps();
});

/** `looptape view FILE --out DIR/NAME.html`, opened in a new page; every request that is not the file itself is recorded. */
async function openView(file: string): Promise<{ page: Page; html: string; fetched: string[] }> {
  const html = path.join(dir, `${path.basename(file, '.tape')}.html`);
  const run = await looptape(['view', path.resolve(ROOT, file), '--out', html]);
  expect(run.code, run.err).toBe(0);
  expect(run.err).toContain(`wrote ${html}`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== `file://${html}`) fetched.push(request.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-ready="true"]');
  expect(errors).toEqual([]);
  return { page, html, fetched };
}

describe('looptape view recordings/examples/timeout-race.tape', () => {
  const file = 'recordings/examples/timeout-race.tape';
  let recorded: Contents;
  let page: Page;
  let fetched: string[];

  beforeAll(async () => {
    recorded = await contents(file);
    ({ page, fetched } = await openView(file));
  });

  it('shows one swimlane per request, named as inspect names it, after the lane of work outside requests', async () => {
    const labels = await page.locator('.lane .lane-label').allTextContents();
    expect(labels).toEqual(['main (outside requests)', ...recorded.scopes.map((s) => `#${s.exchange} ${s.method} ${s.url}`)]);
    const statuses = await page.locator('.lane .lane-status').allTextContents();
    const answered = recorded.all.filter((e) => e.kind === 'http.response' && e.direction === 'in');
    for (const [i, scope] of recorded.scopes.entries()) {
      const response = answered.find((e) => e.kind === 'http.response' && e.exchange === scope.exchange);
      expect(statuses[i + 1]).toBe(response && response.kind === 'http.response' ? String(response.status) : 'open');
    }
  });

  it('puts every delivery on its lane, and hovering one says what it is, its seq and its time', async () => {
    expect(await page.locator('.delivery').count()).toBe(recorded.deliveries.length);
    const seqs = await page.locator('.delivery').evaluateAll((marks) => marks.map((m) => Number((m as HTMLElement).dataset.seq)));
    expect(seqs.sort((a, b) => a - b)).toEqual(recorded.deliveries);
    const first = recorded.all.find((e) => e.scope !== null && recorded.deliveries.includes(e.seq))!;
    await page.locator(`.delivery[data-seq="${first.seq}"]`).hover();
    await expect.poll(() => page.locator('#tip').isVisible()).toBe(true);
    expect(await page.locator('#tip').textContent()).toMatch(new RegExp(` · seq ${first.seq} · ${first.t.toFixed(1)}ms$`));
    await page.mouse.move(0, 0);
    await expect.poll(() => page.locator('#tip').isVisible()).toBe(false);
  });

  it('lists the findings with their task path and source line', async () => {
    const findings = page.locator('#findings .finding');
    expect(await findings.count()).toBe(recorded.findings.length);
    const orphan = findings.filter({ hasText: 'orphaned-task' }).first();
    expect(await orphan.locator('.path').textContent()).toMatch(/^#\d+ GET \/profile\?user=\w+ → /);
    expect(await orphan.locator('.where').textContent()).toMatch(/examples\/timeout-race\/server\.mjs:\d+:\d+ · seq \d+/);
  });

  it('shows the task tree of a request when it is clicked, every task of its scope', async () => {
    const scope = recorded.scopes[0];
    await page.locator('.lane', { hasText: `#${scope.exchange} ${scope.method} ${scope.url}` }).click();
    await expect.poll(() => page.locator('#tree .tree-title').textContent()).toContain(`#${scope.exchange} ${scope.method} ${scope.url}`);
    const inScope = recorded.all.filter((e) => e.kind === 'task.init' && e.scope === scope.exchange).map((e) => String(e.task));
    const shown = await page.locator('#tree .task').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.task));
    expect(shown.sort()).toEqual(inScope.sort());
    expect(await page.locator('#tree .task .task-name').first().textContent()).toMatch(/^(PROMISE|Timeout|setTimeout \d+ms|[A-Z]+) \d+$/);
  });

  it('follows inspect\'s keys: j/k move between requests, f and d jump to the next finding and delivery, on their request', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('j');
    expect(await page.locator('.lane.selected .lane-label').textContent()).toBe(`#${recorded.scopes[0].exchange} ${recorded.scopes[0].method} ${recorded.scopes[0].url}`);
    await page.keyboard.press('k');
    expect(await page.locator('.lane.selected .lane-label').textContent()).toBe('main (outside requests)');
    await page.keyboard.press('f');
    const current = await page.locator('#findings .finding.current .path').textContent();
    const request = /^(#\d+ [A-Z]+ \S+)/.exec(current ?? '')?.[1] ?? 'main (outside requests)';
    expect(await page.locator('.lane.selected .lane-label').textContent()).toBe(request);
    await page.keyboard.press('d');
    const delivery = recorded.all.find((e) => e.seq === recorded.deliveries[0])!;
    expect(await page.locator('.delivery.current').getAttribute('data-seq')).toBe(String(delivery.seq));
    expect(await page.locator('.lane.selected').getAttribute('data-lane')).toBe(String(delivery.scope ?? 0));
    await page.keyboard.press('?');
    expect(await page.locator('#help').isVisible()).toBe(true);
  });

  it('loads nothing from the network, and saves a screenshot', async () => {
    expect(fetched).toEqual([]);
    const shot = path.join(dir, 'timeout-race.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('looptape view recordings/examples/price-race.found.tape', () => {
  it('shows the explanation explore found and highlights the delivery it moved', async () => {
    const { page } = await openView('recordings/examples/price-race.found.tape');
    await expect.poll(() => page.locator('#explanation').isVisible()).toBe(true);
    expect(await page.locator('#explanation .explanation-text').textContent()).toBe('fails when GET /stock?item=widget answers before GET /price?item=widget answers (for GET /quote?item=widget&qty=5)');
    const moved = page.locator('.delivery.moved');
    expect(await moved.count()).toBe(1);
    await moved.hover();
    expect(await page.locator('#tip').textContent()).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/stock\?item=widget answered 200 · seq \d+ .* · moved by explore$/);
    expect(await page.locator('.lane', { has: moved }).locator('.lane-label').textContent()).toBe('#1 GET /quote?item=widget&qty=5');
  });
});

describe('looptape view of a lean recording whose task tree cannot be derived', () => {
  it('draws the requests and deliveries, and says what it cannot show and which findings were not checked', async () => {
    // A copy of the example, gone by the time of the view: replay cannot run it to derive the tree.
    const copy = path.join(dir, 'gone');
    for (const part of ['price-race', 'lib']) fs.cpSync(path.join(ROOT, 'examples', part), path.join(copy, part), { recursive: true });
    const file = path.join(dir, 'gone.tape');
    const run = await node(['examples/harness.mjs', 'price-race', '--', process.execPath, BIN, 'record', '--out', file, '--', process.execPath, path.join(copy, 'price-race/server.mjs')]);
    expect(run.code, run.err).toBe(0);
    fs.rmSync(copy, { recursive: true });
    const recorded = await contents(file);
    const { page } = await openView(file);
    expect(await page.locator('.lane').count()).toBe(recorded.scopes.length + 1);
    expect(await page.locator('.delivery').count()).toBe(recorded.deliveries.length);
    const notes = await page.locator('#notes .note').allTextContents();
    expect(notes[0]).toContain('no task tree (recorded lean, and replay could not derive one)');
    expect(notes.some((n) => n.startsWith('floating-promise not checked: '))).toBe(true);
    await page.locator('.lane').nth(1).click();
    expect(await page.locator('#tree .none').textContent()).toBe('no tasks recorded for this request');
  });
});
