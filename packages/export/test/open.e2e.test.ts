/** `looptape view --open` hands the page it wrote to the user's browser ($BROWSER), and says so in one line when it cannot. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FOUND, looptape, useTempDir } from './support.js';

const dir = useTempDir();

it('runs $BROWSER with the page', async () => {
  const opened = path.join(dir(), 'opened.txt');
  const browser = path.join(dir(), 'browser.sh');
  fs.writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
  const page = path.join(dir(), 'found.html');
  const run = await looptape(['view', FOUND, '--out', page, '--open'], { env: { BROWSER: browser } });
  expect(run.code, run.err).toBe(0);
  await expect.poll(() => fs.existsSync(opened) && fs.readFileSync(opened, 'utf8'), { timeout: 15_000 }).toBe(page);
});

it('writes the page and says how to open it when the browser cannot be started', async () => {
  const page = path.join(dir(), 'unopened.html');
  const run = await looptape(['view', FOUND, '--out', page, '--open'], { env: { BROWSER: path.join(dir(), 'no-such-browser') } });
  expect(run.code, run.err).toBe(0);
  expect(fs.readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/);
  expect(run.err).toContain(`looptape: note: could not start ${path.join(dir(), 'no-such-browser')} to open it; open ${page} in a browser`);
});
