import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '@looptape/recording';
import { tempDir } from './tape.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const SESSION = `looptape-inspect-e2e-${process.pid}`;

let dir: string;
let tape: string;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${safeScreen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function safeScreen(): string {
  try {
    return screen();
  } catch {
    return '(no tmux session)';
  }
}

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm build)`);
  dir = tempDir();
  tape = path.join(dir, 'timeout-race.tape');
  // A real recording: the timeout-race example under its traffic, recorded by the CLI.
  const { runExample } = (await import(path.join(ROOT, 'examples/harness.mjs'))) as {
    runExample(name: string, options: { app: string[] }): Promise<{ appExitCode: number | null }>;
  };
  await runExample('timeout-race', { app: [process.execPath, BIN, 'record', '--out', tape, '--', process.execPath, path.join(ROOT, 'examples/timeout-race/server.mjs')] });
  expect(fs.existsSync(tape)).toBe(true);
}, 60_000);

afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', SESSION]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('looptape inspect in a real terminal (tmux)', () => {
  it('steps to a finding and shows it in the tree, the events and the status line, then quits', async () => {
    const exitFile = path.join(dir, 'exit');
    // CI=1 on purpose: Ink would draw nothing until exit, and inspect must keep it from that.
    const command = `cd ${JSON.stringify(ROOT)} && env CI=1 NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inspect ${JSON.stringify(tape)}; echo "exit $?" > ${JSON.stringify(exitFile)}; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', command);

    await waitFor('the first frame', () => screen().includes('Events') && screen().includes('findings'));
    const first = screen();
    expect(first.split('\n')[0]).toContain('looptape inspect timeout-race.tape');
    expect(first).toContain('#2 GET /profile?user=ada');

    tmux('send-keys', '-t', SESSION, 'f');
    // The tree is built in a worker thread: until it is in, the finding marks its request's row.
    // Wait for the finding's own (task) row as well as the status line.
    const taskRowMarked = (l: string) => l.startsWith('║!') && !/^║![▾▸ ]*#\d+ /.test(l);
    const found = await waitFor('the first finding', () => {
      const s = screen();
      return s.includes('orphaned-task:') && s.split('\n').some(taskRowMarked) ? s : undefined;
    });
    const lines = found.split('\n');
    // How long after the answer the timer fired depends on the machine's load: any number of ms.
    expect(lines.find((l) => l.startsWith('orphaned-task:'))).toMatch(/fired \d+ ms after/);
    // The tree names the timer as its finding does (`setTimeout 150ms`), with its async id.
    expect(lines.find(taskRowMarked)).toMatch(/setTimeout 150ms \d+ +running/);
    expect(lines.find((l) => l.includes('▶'))).toContain('timer.fire');
    expect(found).toContain('site:     examples/timeout-race/server.mjs:');
    expect(found).toContain('! orphaned-task');

    tmux('send-keys', '-t', SESSION, 'q');
    const exit = await waitFor('inspect to exit', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
    expect(exit.trim()).toBe('exit 0');
    // The alternate screen is gone: the shell's screen is back, without the panes.
    expect(screen()).not.toContain('Events');
  }, 30_000);
});

describe('looptape inspect on a recording explore found', () => {
  it('says what the run shows, and marks the delivery explore moved in the events and the detail', async () => {
    const found = path.join(ROOT, 'recordings/examples/price-race.found.tape');
    const exitFile = path.join(dir, 'exit-found');
    const session = `${SESSION}-found`;
    const command = `cd ${JSON.stringify(ROOT)} && env CI=1 NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inspect ${JSON.stringify(found)}; echo "exit $?" > ${JSON.stringify(exitFile)}; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '34', command);
    try {
      const view = () => tmux('capture-pane', '-p', '-t', session);
      const first = await waitFor('the first frame', () => view().includes('Events') && view());
      expect(first).toContain('found by explore (seed 1): fails when GET /stock?item=widget answers before GET /price?item=widget answers');
      // To the moved answer (the recording says which event it is), then one event on: its row keeps its mark.
      const { RecordingReader } = await import('@looptape/recording');
      const reader = RecordingReader.open(found);
      const [seq] = reader.meta.found!.movedSeqs!;
      reader.close();
      tmux('send-keys', '-t', session, '/', `seq:${seq}`, 'Enter');
      const at = await waitFor('the moved delivery', () => view().includes('moved by explore') && view());
      expect(at.split('\n').find((l) => l.includes('▶'))).toMatch(new RegExp(`▶ *${seq} .*http\\.response`));
      tmux('send-keys', '-t', session, 'l');
      const next = await waitFor('the next event', () => view().split('\n').some((l) => new RegExp(`» *${seq} .*http\\.response`).test(l)) && view());
      // Only the moved delivery has the mark.
      expect(next.split('\n').filter((l) => l.includes('»'))).toHaveLength(1);
      tmux('send-keys', '-t', session, 'q');
      await waitFor('inspect to exit', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 30_000);
});

describe('looptape inspect on a request that makes many promises at one line', () => {
  it('folds them into one row with their count and site, opens the fold, counts events, and explains every mark', async () => {
    // A real program: one request whose handler makes 23 promises at line 6, recorded with stacks.
    const program = path.join(ROOT, 'packages/tui/test/fixtures/promise-fan.mjs');
    const fan = path.join(dir, 'promise-fan.tape');
    const recorded = spawnSync(process.execPath, [BIN, 'record', '--stacks', '--out', fan, '--', process.execPath, program], { cwd: ROOT, encoding: 'utf8' });
    expect(recorded.status, recorded.stderr).toBe(0);
    // Every kind: the events inspect steps through, with the task tree (derived for this lean recording).
    const kinds = EVENT_KINDS.flatMap((kind) => ['--kind', kind]);
    const events = spawnSync(process.execPath, [BIN, 'events', fan, '--json', ...kinds], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
    const total = events.length.toLocaleString('en-US');

    const exitFile = path.join(dir, 'exit-fan');
    const session = `${SESSION}-fan`;
    const command = `cd ${JSON.stringify(ROOT)} && env NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inspect ${JSON.stringify(fan)}; echo "exit $?" > ${JSON.stringify(exitFile)}; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '34', command);
    try {
      const view = () => tmux('capture-pane', '-p', '-t', session);
      const send = (...keys: string[]) => tmux('send-keys', '-t', session, ...keys);
      // The counter counts events (the events command's lines), not the largest seq.
      await waitFor('the tree and the count', () => /#\d+ GET \/sum/.test(view()) && !view().includes('loading…') && view().includes(`event 1 of ${total}`));
      send('>');
      const end = await waitFor('the last event', () => view().includes(`event ${total} of ${total} · seq ${events.at(-1)!.seq}`) && view());
      // The request's row opens on its tasks (it may be open already: the tree opens what the cursor reaches).
      if (!/▾ #\d+ GET \/sum/.test(end)) send('Enter');
      const opened = await waitFor('the fold', () => view().split('\n').find((l) => l.includes('PROMISE ×')) && view());
      const fold = opened.split('\n').find((l) => l.includes('PROMISE ×'))!;
      expect(fold).toMatch(/▸ PROMISE ×23 at promise-fan\.mjs:6 +settled/);
      // Select the fold: its detail says what it stands for; enter opens it on its 23 promises.
      const rows = opened.split('\n');
      const at = rows.indexOf(fold) - rows.findIndex((l) => /GET \/sum/.test(l));
      send(...Array.from({ length: at }, () => 'j'));
      const detail = await waitFor('the fold selected', () => view().includes('23 promises created one after another') && view());
      expect(detail).toMatch(/Promises[^\n]*\n[^\n]*PROMISE ×23/);
      expect(detail).toContain('site:     packages/tui/test/fixtures/promise-fan');
      send('Enter');
      const open = await waitFor('the fold open', () => view().includes('▾ PROMISE ×23') && view());
      const lines = open.split('\n');
      const head = lines.findIndex((l) => l.includes('▾ PROMISE ×23'));
      const indent = (l: string) => l.replace(/^║.?/, '').search(/\S/);
      const members = lines.slice(head + 1).filter((l) => /^║[ ▸▾]+PROMISE \d+ /.test(l) && indent(l) > indent(lines[head]));
      expect(members.length).toBeGreaterThan(10);

      // `?` explains the header and every mark, a page at a time.
      send('?');
      let help = await waitFor('the help', () => view().includes('looptape inspect: keys and marks') && view());
      for (let i = 0; i < 6; i++) {
        send('Space');
        await new Promise((r) => setTimeout(r, 300));
        help += view();
      }
      for (const mark of ['(1 kind n/a)', 'findings: n/a', 'event 12 of 5,991', '!2', 'PROMISE ×23 at', 'later', '»', '•', '▶', 'leaked', 'killed']) expect(help, mark).toContain(mark);
      send('Escape');
      await waitFor('the help closed', () => !view().includes('keys and marks') && view().includes('Events'));
      send('q');
      const exit = await waitFor('inspect to exit', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
      expect(exit.trim()).toBe('exit 0');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 60_000);
});

describe('looptape inspect on a recording damaged past its first page', () => {
  it('ends with exit 2 and the one line naming the damage, once a background read finds it', async () => {
    const { finalizeRecording, HOOK, HookBuffer, RecordingWriter } = await import('@looptape/recording');
    // Ten promises made at seqs 1-10 and resolved at 5001-5010: two hook chunks, the second far
    // past the first page of events, so only the reads in worker threads reach it.
    const file = path.join(dir, 'late-damage.tape');
    const writer = RecordingWriter.create(file);
    const chunk = (records: Array<[number, number, number]>) => {
      const b = new HookBuffer(16);
      for (const [seq, kind, task] of records) b.push(seq, seq, kind, kind === HOOK.init ? 1 : 0, task, 1, 1, 0);
      return { firstSeq: b.firstSeq(), lastSeq: b.lastSeq(), count: b.length, data: b.take() };
    };
    const tasks = Array.from({ length: 10 }, (_, i) => 10 + i);
    writer.write([{ seq: 11, t: 11, kind: 'console', task: 1, scope: null, process: 0, stream: 'stdout', text: 'hello\n' }], [chunk(tasks.map((id, i) => [i + 1, HOOK.init, id]))], [[1, 'PROMISE']]);
    const late = chunk(tasks.map((id, i) => [5001 + i, HOOK.resolve, id]));
    const lateBytes = Buffer.from(late.data);
    writer.write([{ seq: 5011, t: 5011, kind: 'process.exit', task: 1, scope: null, process: 0, code: 0 }], [late]);
    writer.close();
    // With its summaries written, opening it reads them, not every event.
    finalizeRecording(file);
    // One flipped bit in the second chunk's bytes, where they lie in the file.
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(lateBytes);
    expect(at).toBeGreaterThan(0);
    bytes[at + 40] ^= 0x10;
    fs.writeFileSync(file, bytes);

    const [exitFile, errFile] = [path.join(dir, 'exit-damaged'), path.join(dir, 'err-damaged')];
    const session = `${SESSION}-damaged`;
    const command = `cd ${JSON.stringify(ROOT)} && env NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inspect ${JSON.stringify(file)} 2> ${JSON.stringify(errFile)}; echo "exit $?" > ${JSON.stringify(exitFile)}; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', command);
    try {
      const exit = await waitFor('inspect to stop', () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8'));
      expect(exit.trim()).toBe('exit 2');
      // Ink's restore-cursor writes "show the cursor" (ESC[?25h) on stderr at exit: no text for a terminal.
      const err = fs.readFileSync(errFile, 'utf8').replaceAll('\u001B[?25h', '').trim().split('\n');
      expect(err, err.join('\n')).toHaveLength(1);
      expect(err[0]).toMatch(/^looptape: .*late-damage\.tape is damaged: hook chunk \d+ \(seq 5001–5010\) fails its checksum/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }, 30_000);
});

describe('looptape inspect without a terminal', () => {
  it('says in one line to use events or report, and exits 2', () => {
    const result = spawnSync(process.execPath, [BIN, 'inspect', tape], { encoding: 'utf8', input: '' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^looptape: inspect needs a terminal.*looptape events .*looptape report /);
  });
});
