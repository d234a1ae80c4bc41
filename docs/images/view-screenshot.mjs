#!/usr/bin/env node
// Makes docs/images/view.png, the README's picture of `looptape view`: the page of a
// committed recording that explore found, with its first request opened, in headless
// chromium. Run after `pnpm build`: node docs/images/view-screenshot.mjs (or pnpm screenshot).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDING = 'recordings/examples/retry-backoff.found.tape';
const OUT = path.join(ROOT, 'docs/images/view.png');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-screenshot-'));
try {
  const html = path.join(dir, 'view.html');
  execFileSync(process.execPath, [path.join(ROOT, 'packages/cli/dist/bin.js'), 'view', RECORDING, '--out', html], { cwd: ROOT, stdio: 'inherit' });
  const { chromium } = createRequire(path.join(ROOT, 'packages/export/package.json'))('playwright-core');
  const executablePath = [process.env.LOOPTAPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((f) => f && fs.existsSync(f));
  if (!executablePath) throw new Error('no chromium found: apt-get install chromium (or set LOOPTAPE_CHROMIUM)');
  const browser = await chromium.launch({ executablePath, args: ['--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 640 }, deviceScaleFactor: 1 });
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.keyboard.press('f');
  await page.screenshot({ path: OUT });
  await browser.close();
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
