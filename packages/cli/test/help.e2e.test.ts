/** Help that teaches: every command's help lists its exit codes and an example, reachable two ways. */
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { killAll, looptape } from '../../recorder/test/support/looptape.js';

afterEach(() => killAll());

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
