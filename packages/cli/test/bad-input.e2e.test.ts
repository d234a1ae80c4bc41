/**
 * Bad input gets one clear line on stderr and exit 2 — never a stack trace — and never
 * damages a file: an existing recording `record` would overwrite, a missing, text, foreign or
 * too-new file given to `events` or `ls`, an unknown flag.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { events, fixture, killAll, lines, looptape, removeTemps, ROOT, sha256, tempDir, type Finished } from '../../recorder/test/support/looptape.js';

/** The part of better-sqlite3 these tests use (a dependency of @looptape/recording: loaded from there). */
interface Sqlite {
  exec(sql: string): void;
  prepare(sql: string): { run(): unknown };
  close(): void;
}
const Database = createRequire(path.join(ROOT, 'packages/recording/package.json'))('better-sqlite3') as new (file: string) => Sqlite;

let dir: string;
let recording: string;

beforeAll(async () => {
  dir = tempDir();
  recording = path.join(dir, 'good.tape');
  const run = await looptape(['record', '--out', recording, '--', process.execPath, fixture('ending.mjs'), 'normal']);
  expect(run.code, run.err).toBe(0);
});

afterEach(() => killAll());
afterAll(() => removeTemps());

/** Exactly one line on stderr, from looptape, without a stack trace; nothing on stdout. */
function expectOneLine(run: Finished, pattern: RegExp): void {
  expect(lines(run.err), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^looptape: /);
  expect(run.err).toMatch(pattern);
  expect(run.err).not.toContain('    at ');
  expect(run.out).toBe('');
}

/** The files beside `file` (a reader must not leave -wal, -shm or -journal files). */
function siblings(file: string): string[] {
  return fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(path.basename(file))).sort();
}

describe('record refuses to overwrite', () => {
  it('leaves an existing file byte for byte as it was without --force, and does not run the program', async () => {
    const before = sha256(recording);
    const run = await looptape(['record', '--out', recording, '--', process.execPath, fixture('ending.mjs'), 'exit3']);
    expect(run.code).toBe(2);
    expectOneLine(run, /good\.tape already exists.*--force/);
    expect(sha256(recording)).toBe(before);
  });

  it('replaces it with --force', async () => {
    const copy = path.join(dir, 'replaced.tape');
    fs.copyFileSync(recording, copy);
    const before = sha256(copy);
    const run = await looptape(['record', '--force', '--out', copy, '--', process.execPath, fixture('ending.mjs'), 'exit3']);
    expect(run.code, run.err).toBe(3);
    expect(sha256(copy)).not.toBe(before);
    const exits = (await events(copy, '--kind', 'process.exit')).map((e) => e.kind === 'process.exit' && e.code);
    expect(exits).toEqual([3]);
  });
});

describe('bad files', () => {
  const files: Record<string, () => string> = {
    missing: () => path.join(dir, 'missing.tape'),
    text: () => {
      const file = path.join(dir, 'notes.txt');
      fs.writeFileSync(file, 'not a recording\n');
      return file;
    },
    foreign: () => {
      const file = path.join(dir, 'foreign.db');
      fs.rmSync(file, { force: true });
      const db = new Database(file);
      db.exec("CREATE TABLE t (a); INSERT INTO t VALUES ('some other program''s data')");
      db.close();
      return file;
    },
    'too new': () => {
      const file = path.join(dir, 'future.tape');
      fs.copyFileSync(recording, file);
      const db = new Database(file);
      db.prepare("UPDATE meta SET value = '99' WHERE key = 'minReaderVersion'").run();
      db.close();
      return file;
    },
  };
  const messages: Record<string, RegExp> = {
    missing: /missing\.tape: no such/,
    text: /notes\.txt is not a looptape recording/,
    foreign: /foreign\.db is a SQLite file but not a looptape recording/,
    'too new': /future\.tape .*needs looptape reading format 99/,
  };

  for (const [kind, make] of Object.entries(files)) {
    for (const command of [['events'], ['events', '--json'], ['ls']]) {
      it(`${command.join(' ')} on a ${kind} file: exit 2, one line, the file untouched`, async () => {
        const file = make();
        const before = fs.existsSync(file) ? sha256(file) : undefined;
        const around = siblings(file);
        const run = await looptape([command[0], file, ...command.slice(1)]);
        expect(run.code).toBe(2);
        expectOneLine(run, messages[kind]);
        expect(fs.existsSync(file) ? sha256(file) : undefined).toBe(before);
        expect(siblings(file)).toEqual(around);
      });
    }
  }
});

describe('bad flags and arguments', () => {
  const cases: Array<[string[], RegExp]> = [
    [['record', '--bogus', '--', process.execPath, '-e', '0'], /Unknown option '--bogus'/],
    [['record', '--out'], /--out/],
    [['record'], /missing the command to record/],
    [['events', '--bogus'], /Unknown option '--bogus'/],
    [['events'], /missing FILE/],
    [['events', 'x.tape', '--kind', 'nonsense'], /unknown event kind 'nonsense'/],
    [['ls', '--bogus'], /Unknown option '--bogus'/],
    [['ls', 'a', 'b'], /one DIR or FILE at a time/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    it(`looptape ${args.join(' ')}: exit 2, one line`, async () => {
      const run = await looptape(args, { cwd: dir });
      expect(run.code).toBe(2);
      expectOneLine(run, message);
    });
  }

  it('writes no recording when record is given a bad flag', async () => {
    const out = path.join(dir, 'never.tape');
    const run = await looptape(['record', '--bogus', '--out', out, '--', process.execPath, '-e', 'console.log(1)']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });
});
