// explore's progress line: shown on a terminal (a real one, through tmux), never in a pipe.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { looptape, NODE, ROOT, scratch } from './support.js';

const SESSION = `looptape-explore-progress-${process.pid}`;
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const dir = scratch('progress');

afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', SESSION]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function screen(): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-t', SESSION], { encoding: 'utf8' });
}

async function waitFor(what: string, probe: (s: string) => boolean, ms = 60_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (probe(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The fixed code of an example: no failing order, so explore runs all its replays.
const args = ['explore', 'recordings/examples/double-book.passing.tape', '--until', 'js:examples/double-book/oracle.mjs', '--runs', '300', '--out', path.join(dir, 'none.tape'), '--', NODE, 'examples/double-book/server.fixed.mjs'];

describe('explore shows its progress on a terminal', () => {
  it('counts runs, runs per second, distinct orders and time while it searches, then prints the summary in its place', async () => {
    const done = path.join(dir, 'exit');
    const command = `cd ${JSON.stringify(ROOT)} && ${[NODE, BIN, ...args].map((a) => JSON.stringify(a)).join(' ')}; echo "exit $?" > ${JSON.stringify(done)}; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', SESSION, '-x', '160', '-y', '20', command]);
    const during = await waitFor('the progress line', (s) => /exploring: \d+\/300 runs/.test(s));
    const line = during.split('\n').find((l) => l.startsWith('exploring:'))!;
    expect(line).toMatch(/^exploring: \d+\/300 runs · \d+\.\d runs\/s · \d+ distinct orders · \d+\.\d s$/);
    const after = await waitFor('the summary', () => fs.existsSync(done) && /no failing order/.test(screen()));
    expect(fs.readFileSync(done, 'utf8').trim()).toBe('exit 1');
    expect(after).toMatch(/^no failing order in 300 runs \(seed 1, pct\): \d+ distinct orders, [\d.]+ runs\/s/m);
    // The summary took the progress line's place.
    expect(after).not.toContain('exploring:');
  });

  it('is silent when stderr is not a terminal', async () => {
    const r = await looptape(args.map((a) => (a === '300' ? '20' : a)));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^no failing order in 20 runs/);
    expect(r.stderr).toBe('');
  });
});
