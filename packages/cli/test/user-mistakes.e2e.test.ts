/**
 * Every mistake a user can make with a file or a command line gets exit 2 and one line with a
 * hint — never exit 70, never a stack — and changes no file (sha256 before and after).
 */
import fs from 'node:fs';
import path from 'node:path';
import { upgradeRecording } from '@looptape/recording';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, lines, looptape, removeTemps, ROOT, sha256, tempDir, type Finished } from '../../recorder/test/support/looptape.js';

let dir: string;
let tape: string;

beforeAll(() => {
  dir = tempDir();
  tape = path.join(dir, 'good.tape');
  upgradeRecording(path.join(ROOT, 'recordings/examples/price-race.tape'), tape);
  fs.mkdirSync(path.join(dir, 'folder.tape'));
  fs.writeFileSync(path.join(dir, 'empty.tape'), '');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a recording\n');
});
afterEach(() => killAll());
afterAll(() => removeTemps());

/** sha256 of every file under the folder, by path. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) out[name] = sha256(file);
  }
  return out;
}

function expectOneLine(run: Finished, pattern: RegExp): void {
  expect(run.code, run.err).toBe(2);
  expect(lines(run.err), run.err).toHaveLength(1);
  expect(run.err).toMatch(/^looptape: /);
  expect(run.err).toMatch(pattern);
  expect(run.err).toMatch(/\(.+\)\n$/); // a hint, in parentheses
  expect(run.err).not.toContain('    at ');
}

const FILE_COMMANDS = [['events'], ['report'], ['replay'], ['verify'], ['ls']];
const BAD_FILES: Array<[string, string, RegExp]> = [
  ['a directory', 'folder.tape', /folder\.tape is a directory, not a recording/],
  ['a device', '/dev/null', /\/dev\/null is not a regular file/],
  ['an empty file', 'empty.tape', /empty\.tape is empty, not a recording/],
  ['a file that is not a recording', 'notes.txt', /notes\.txt is not a looptape recording/],
];

describe('files that are not recordings', () => {
  for (const [what, name, message] of BAD_FILES) {
    for (const command of FILE_COMMANDS) {
      if (command[0] === 'ls' && name === 'folder.tape') continue; // ls lists a folder
      it(`${command[0]} given ${what}: exit 2, one line, nothing changed`, async () => {
        const before = snapshot();
        const run = await looptape([...command, name], { cwd: dir });
        expectOneLine(run, message);
        expect(snapshot()).toEqual(before);
      });
    }
  }

  it('ls DIR names the files it could not read, with the reason, and lists the rest', async () => {
    const run = await looptape(['ls', dir]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^good\.tape\s/m);
    expect(run.err).toMatch(/not listed: empty\.tape: is empty, not a recording/);
    expect(run.err).toMatch(/not listed: notes\.txt: is not a looptape recording/);
  });
});

describe('record', () => {
  it('writes no file and says the script is missing', async () => {
    const before = snapshot();
    const run = await looptape(['record', '--', process.execPath, 'missing.mjs'], { cwd: dir });
    expectOneLine(run, /the script missing\.mjs does not exist/);
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'recordings'))).toBe(false);
  });

  it('says which command it started and that it was not Node.js', async () => {
    const before = snapshot();
    const run = await looptape(['record', '--out', 'bash.tape', '--', 'bash', '-c', 'true'], { cwd: dir });
    expectOneLine(run, /'bash -c true' started bash, which is not a Node\.js program/);
    expect(snapshot()).toEqual(before);
  });

  for (const force of [[], ['--force']]) {
    it(`says --out is a folder${force.length ? ' (with --force too)' : ''}`, async () => {
      const before = snapshot();
      const run = await looptape(['record', '--out', 'folder.tape', ...force, '--', process.execPath, '-e', '0'], { cwd: dir });
      expectOneLine(run, /--out folder\.tape is a folder, not a file name/);
      expect(snapshot()).toEqual(before);
    });
  }
});

describe('arguments', () => {
  const cases: Array<[string[], RegExp]> = [
    [['events', 'good.tape', '--task', '999999'], /good\.tape has no task 999999/],
    [['report', 'good.tape', '--slow', '-5'], /--slow takes milliseconds \(a number ≥ 0\), not '-5'/],
    [['replay', 'good.tape', '--schedule', 's.json', '--print-schedule'], /--schedule and --print-schedule do not go together/],
    [['help', 'frobnicate'], /no command 'frobnicate'/],
    [['record', '--tree', '--no-promises', '--', 'node', 'app.mjs'], /--tree and --no-promises do not go together/],
  ];
  for (const [args, message] of cases) {
    it(`looptape ${args.join(' ')}: exit 2, one line`, async () => {
      const before = snapshot();
      const run = await looptape(args, { cwd: dir });
      if (args[0] === 'help') {
        expect(run.code).toBe(2);
        expect(run.err).toMatch(message);
      } else expectOneLine(run, message);
      expect(snapshot()).toEqual(before);
    });
  }
});
