// A real browser for the view tests: Debian's chromium (or LOOPTAPE_CHROMIUM), driven by
// playwright-core, which downloads no browser of its own.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.LOOPTAPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Starts headless chromium; says how to install it when it is missing (CI installs it: .ci/run). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((file) => file && fs.existsSync(file));
  if (!executablePath) throw new Error('no chromium found: apt-get install chromium (or set LOOPTAPE_CHROMIUM to a Chrome or Chromium binary)');
  return chromium.launch({ executablePath, args: ['--disable-gpu', '--disable-dev-shm-usage'] });
}
