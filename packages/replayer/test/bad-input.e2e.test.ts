// Issue 3, point 5: bad input. A missing or foreign recording, one from a newer looptape,
// or one holding `unsupported` I/O (a child process) is refused with one clear line on
// stderr and exit 2, never a stack trace, and the file is left as it was. A program recorded in
// another folder replays from there, and is refused with one line once it has moved away.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLooptapeLine } from '../../recorder/test/support/looptape.js';
import { events, fixture, FIXTURES, looptape, NODE, record, replayJson, ROOT, scratch, type Run } from './support/cli.js';

// better-sqlite3 is the recording package's dependency: borrowed to forge files.
const Database = createRequire(path.join(ROOT, 'packages/recording/package.json'))('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  pragma(sql: string): unknown;
  close(): void;
};

const dir = scratch('bad-input');
/** A folder of its own inside the file's. */
const fresh = () => fs.mkdtempSync(path.join(dir, 'run-'));
const good = path.join(dir, 'ticks.tape');
const unsupported = path.join(dir, 'spawns-child.tape');

beforeAll(async () => {
  await record(good, [NODE, path.join(FIXTURES, 'ticks.mjs')]);
  const r = await record(unsupported, [NODE, path.join(FIXTURES, 'spawns-child.mjs')]);
  if (!/child said 42/.test(r.stdout)) throw new Error(`the child process did not run while recording: ${r.stdout}${r.stderr}`);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Exit 2, nothing on stdout, exactly one `looptape: …` line on stderr, no stack. */
function expectRefused(r: Run, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^looptape: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\bat \S+ \(|node:internal|Error:/);
}

const sha = (file: string) => fs.readFileSync(file).toString('base64');

describe('looptape replay refuses bad input', () => {
  it('a missing recording', async () => {
    const file = path.join(dir, 'nothing-here.tape');
    expectRefused(await looptape(['replay', file]), /nothing-here\.tape: no such file/);
    expectRefused(await looptape(['replay', file, '--json']), /no such file/);
    expect(fs.existsSync(file)).toBe(false); // not created by looking for it
  });

  it('a file that is not SQLite', async () => {
    const file = path.join(dir, 'notes.tape');
    fs.writeFileSync(file, 'these are not the events you are looking for\n');
    const before = sha(file);
    expectRefused(await looptape(['replay', file]), /notes\.tape is not a looptape recording/);
    expect(sha(file)).toBe(before);
  });

  it('a SQLite file that is not a recording', async () => {
    const file = path.join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE people (name TEXT); INSERT INTO people VALUES (\'ada\')');
    db.close();
    const before = sha(file);
    expectRefused(await looptape(['replay', file]), /other\.db is a SQLite file but not a looptape recording/);
    expectRefused(await looptape(['replay', file, '--print-schedule']), /not a looptape recording/);
    expect(sha(file)).toBe(before);
  });

  it('a recording from a newer looptape, naming the version that reads it', async () => {
    const file = path.join(dir, 'newer.tape');
    fs.copyFileSync(good, file);
    const db = new Database(file);
    db.exec('UPDATE meta SET value = \'99\' WHERE key = \'minReaderVersion\'');
    db.pragma('user_version = 99');
    db.close();
    const before = sha(file);
    expectRefused(await looptape(['replay', file]), /newer\.tape .*needs looptape reading format 99 or newer/);
    expect(sha(file)).toBe(before);
  });

  it('a recording holding unsupported I/O (a child process): one clear line naming it and where', async () => {
    const [u] = await events(unsupported, ['unsupported']);
    expect(u).toMatchObject({ kind: 'unsupported', what: 'child_process' });
    const before = sha(unsupported);
    const r = await looptape(['replay', unsupported]);
    expectRefused(r, /cannot replay: the program used child_process/);
    expect(r.stderr).toMatch(/spawns-child\.mjs:4:\d+/);
    expectRefused(await looptape(['replay', unsupported, '--json']), /child_process/);
    expect(sha(unsupported)).toBe(before);
  });

  it('an unknown flag, and a missing FILE', async () => {
    expectRefused(await looptape(['replay', good, '--fast']), /fast/);
    expectRefused(await looptape(['replay']), /missing FILE/);
  });

  it('the good recording these are compared with does replay (exit 0)', async () => {
    const r = await looptape(['replay', good]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ticks 3, draw \d+$/m);
  });
});

describe('replay from another folder', () => {
  function recordJob(): { dir: string; tape: string } {
    const dir = fresh();
    const b = path.join(dir, 'b');
    fs.mkdirSync(b);
    fs.copyFileSync(fixture('job.mjs'), path.join(b, 'job.mjs'));
    fs.writeFileSync(path.join(b, 'input.txt'), 'hello\n');
    return { dir, tape: path.join(b, 'job.tape') };
  }

  it('replays ok a program recorded in dir/b as `node job.mjs` when `looptape replay b/job.tape` runs from dir', async () => {
    const { dir, tape } = recordJob();
    const recorded = await looptape(['record', '--out', 'job.tape', '--', NODE, 'job.mjs'], { cwd: path.join(dir, 'b') });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toMatch(/^job read hello at \d+\n$/);
    const { result, ...run } = await replayJson('b/job.tape', [], [], { cwd: dir });
    expect(run.code, `${JSON.stringify(result.divergence)}\n${run.stderr}`).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe(recorded.stdout);
    expect(fs.existsSync(tape)).toBe(true);
  });

  it('exits 2 with one line naming job.mjs and the recorded folder once job.mjs has been moved away', async () => {
    const { dir } = recordJob();
    const b = path.join(dir, 'b');
    const recorded = await looptape(['record', '--out', 'job.tape', '--', NODE, 'job.mjs'], { cwd: b });
    expect(recorded.code, recorded.stderr).toBe(0);
    fs.renameSync(path.join(b, 'job.mjs'), path.join(dir, 'moved-job.mjs'));
    for (const json of [false, true]) {
      const run = await looptape(['replay', 'b/job.tape', ...(json ? ['--json'] : [])], { cwd: dir });
      expect(run.code, run.stdout).toBe(2);
      expectOneLooptapeLine(run.stderr, /job\.mjs/);
      expect(run.stderr).toContain(b);
    }
  });
});
