#!/usr/bin/env node
// Benchmark of `looptape export` and `looptape view` on a synthetic recording of about a
// million events (bench/tui-recording.mjs, cached in the OS temp folder): for each format,
// the wall time of the real command in its own process, its peak memory (maxRSS), and the
// size of what it wrote; for the page, also the time headless chromium takes from opening
// the file to its first screen. Prints a table, then one JSON line.
//   node bench/export.mjs [--events N] [--fresh] [--no-browser]
// Needs the packages built (pnpm build), and chromium for the page (LOOPTAPE_CHROMIUM or /usr/bin/chromium).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cachedRecording } from './tui-recording.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, fresh: { type: 'boolean' }, 'no-browser': { type: 'boolean' }, child: { type: 'boolean' } }, allowPositionals: true, strict: false });

if (values.child) {
  // One command of the CLI in this process: its exit code and peak memory, as JSON on stderr's last line.
  const { main } = await import('../packages/cli/dist/main.js');
  const code = await main(process.argv.slice(3), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env });
  process.stderr.write(`\n${JSON.stringify({ code, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
  process.exit(code);
}

const round = (n) => Math.round(n * 10) / 10;

function run(args) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = performance.now() - started;
  const last = JSON.parse(child.stderr.trim().split('\n').pop());
  if (last.code !== 0) throw new Error(`looptape ${args.join(' ')} exited ${last.code}: ${child.stderr}`);
  return { wallMs: Math.round(wallMs), maxRssMb: last.maxRssMb };
}

async function firstScreen(html) {
  const require = createRequire(path.join(ROOT, 'packages/export/package.json'));
  const { chromium } = require('playwright-core');
  const executablePath = [process.env.LOOPTAPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((f) => f && fs.existsSync(f));
  if (!executablePath) return null;
  const browser = await chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const started = performance.now();
    await page.goto(`file://${html}`, { waitUntil: 'commit' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const firstScreenMs = performance.now() - started;
    const lanes = await page.locator('.lane').count();
    const opened = performance.now();
    await page.locator('.lane').nth(1).click();
    await page.waitForSelector('#tree .task');
    return { firstScreenMs: Math.round(firstScreenMs), lanesDrawn: lanes, firstTreeMs: Math.round(performance.now() - opened) };
  } finally {
    await browser.close();
  }
}

const { file, generatedMs } = cachedRecording(Number(values.events), values.fresh);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-bench-export-'));
try {
  const results = {};
  for (const format of ['har', 'chrome-trace', 'perfetto']) {
    const out = path.join(dir, `bench.${format}`);
    results[format] = { ...run(['export', file, '--format', format, '--out', out]), mb: round(fs.statSync(out).size / 1e6) };
  }
  const html = path.join(dir, 'bench.html');
  results.view = { ...run(['view', file, '--out', html]), mb: round(fs.statSync(html).size / 1e6), ...(values['no-browser'] ? {} : await firstScreen(html)) };
  const events = Number(values.events);
  console.log(`looptape export/view on ${events} events (${file}${generatedMs === null ? ', cached' : `, generated in ${Math.round(generatedMs)} ms`})`);
  console.log('what          wall ms  maxRSS MB  output MB');
  for (const [name, r] of Object.entries(results)) console.log(`${name.padEnd(12)} ${String(r.wallMs).padStart(8)} ${String(r.maxRssMb).padStart(10)} ${String(r.mb).padStart(10)}`);
  if (results.view.firstScreenMs !== undefined) console.log(`page in chromium: first screen ${results.view.firstScreenMs} ms (${results.view.lanesDrawn} lanes drawn), a request's task tree ${results.view.firstTreeMs} ms after the click`);
  console.log(JSON.stringify({ bench: 'export', events, results, loadAverage: os.loadavg().map(round), cpus: os.cpus().length }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
