// A program recorded in a terminal (tmux) replays into a pipe with the terminal it was recorded
// in: it prints the same coloured text, and the replay matches.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, events, fixture, NODE, recordedStdout, replayJson, scratch } from './support/cli.js';

const dir = scratch('terminal');
/** A folder of its own inside the file's. */
const fresh = () => fs.mkdtempSync(path.join(dir, 'run-'));
const TMUX_SOCKET = `replay-terminal-${process.pid}`;

afterAll(() => {
  spawnSync('tmux', ['-L', TMUX_SOCKET, 'kill-server'], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('recorded in a terminal, replayed into a pipe', () => {
  it('matches: replay --json in a pipe is ok and its stdout is the coloured text recorded in tmux', async () => {
    const dir = fresh();
    const tape = path.join(dir, 'tty.tape');
    const done = path.join(dir, 'done');
    const q = JSON.stringify;
    const command = `cd ${q(dir)} && env -u NO_COLOR -u NODE_DISABLE_COLORS -u FORCE_COLOR ${q(NODE)} ${q(BIN)} record --out ${q(tape)} -- ${q(NODE)} ${q(fixture('colors.mjs'))}; echo $? > ${q(done)}; sleep 60`;
    execFileSync('tmux', ['-L', TMUX_SOCKET, 'new-session', '-d', '-s', 'record', '-x', '100', '-y', '20', command]);
    try {
      const until = Date.now() + 20_000;
      while (!(fs.existsSync(done) && fs.readFileSync(done, 'utf8').endsWith('\n'))) {
        if (Date.now() > until) throw new Error('record in tmux did not finish in 20 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      spawnSync('tmux', ['-L', TMUX_SOCKET, 'kill-session', '-t', 'record'], { stdio: 'ignore' });
    }
    expect(fs.readFileSync(done, 'utf8')).toBe('0\n');
    const text = recordedStdout(await events(tape, ['console']));
    expect(text).toContain('\x1b[33m42\x1b[39m');
    expect(text).toContain('\x1b[32m');
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe("42 { a: 'x' }\n");

    const { result, ...run } = await replayJson(tape); // stdout is a pipe here
    expect(run.code, JSON.stringify(result.divergence)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(text);
  });
});
