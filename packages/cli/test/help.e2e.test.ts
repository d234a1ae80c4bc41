/**
 * Help that teaches: every command's help lists its exit codes and an example, reachable two
 * ways; `--help` after FILE prints the command's usage (exit 0); a `--help` after `--` is the
 * program's, not looptape's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { killAll, looptape } from '../../recorder/test/support/looptape.js';


describe('looptape --help', () => {
  it('lists every command, --version, help CMD and the exit codes', async () => {
    const run = await looptape(['--help']);
    expect(run.code).toBe(0);
    for (const c of commands) expect(run.out).toMatch(new RegExp(`^  ${c.name}\\s`, 'm'));
    expect(run.out).toContain('looptape --version');
    expect(run.out).toContain('looptape help <command>');
    expect(run.out).toMatch(/exit codes: 0 .*; 1 .*; 2 .*\n.*70 a bug/);
  });
});

describe('each command', () => {
  for (const c of commands) {
    it(`${c.name}: its help lists exit codes and an example`, () => {
      expect(c.usage).toMatch(/\nExit codes: /);
      expect(c.usage).toMatch(/\nExamples?:\n  looptape /);
    });

    it(`looptape help ${c.name} prints what looptape ${c.name} --help prints`, async () => {
      const [viaHelp, viaFlag] = await Promise.all([looptape(['help', c.name]), looptape([c.name, '--help'])]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.out).toBe(viaFlag.out);
      expect(viaHelp.out).toBe(`${c.usage}\n`);
    });
  }
});

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const ARGS = path.join(FIXTURES, 'print-args.mjs');

let dir: string;
let tape: string;

beforeAll(async () => {
  dir = fs.mkdtempSync('/tmp/fixtests-cli-');
  tape = path.join(dir, 'args.tape');
  const run = await looptape(['record', '--out', tape, '--', process.execPath, ARGS, 'one']);
  expect(run.code, run.err).toBe(0);
  expect(run.out).toBe('{"args":["one"]}\n');
});

afterEach(() => killAll());
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The usage `looptape COMMAND --help` prints. */
async function usage(command: string): Promise<string> {
  const run = await looptape([command, '--help']);
  expect(run.code, run.err).toBe(0);
  expect(run.out).toMatch(new RegExp(`^looptape ${command} `));
  return run.out;
}

describe('--help after FILE', () => {
  for (const command of ['report', 'replay'] as const) {
    it(`looptape ${command} FILE --help prints the usage of ${command} and exits 0`, async () => {
      const expected = await usage(command);
      const run = await looptape([command, tape, '--help']);
      expect(run.code, run.err).toBe(0);
      expect(run.err).toBe('');
      expect(run.out).toBe(expected);
    });
  }
});

describe('--help after --', () => {
  it('belongs to the program: looptape replay FILE -- node prog --help runs the program, not the usage', async () => {
    const run = await looptape(['replay', tape, '--json', '--', process.execPath, ARGS, '--help']);
    expect(run.out).not.toMatch(/^looptape replay /);
    const result = JSON.parse(run.out) as { ok: boolean; stdout: string };
    expect(result.stdout).toBe('{"args":["--help"]}\n');
  });

  it('belongs to the program: looptape record -- node prog --help records the program with --help', async () => {
    const out = path.join(dir, 'help-arg.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, ARGS, '--help']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe('{"args":["--help"]}\n');
    expect(fs.existsSync(out)).toBe(true);
  });
});
