/**
 * The recorded command: a program given as `node -e CODE` (through `looptape record`, or by
 * hand under `node --import …/register.js`) is recorded with its code, so that replay runs it
 * again; a program read from stdin cannot be, and replay says so in one line.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, killAll, lines, looptape, node, removeTemps, tempDir } from '../../recorder/test/support/looptape.js';

const REGISTER = path.join(ROOT, 'packages/recorder/dist/register.js');
// Prints only after a timer: a bare `node` (no program) would print nothing and diverge.
const CODE = 'setTimeout(() => console.log("late", Math.random() < 1, process.argv.slice(1).join(",")), 30)';

afterAll(() => {
  killAll();
  removeTemps();
});

async function listedCommand(file: string): Promise<string> {
  const ls = await looptape(['ls', path.dirname(file), '--json']);
  const listed = lines(ls.out).map((line) => JSON.parse(line) as { name: string; command: string });
  return listed.find((r) => r.name === path.basename(file))!.command;
}

describe('the recorded command', () => {
  it('keeps the code of node -e run by hand under the recorder, and replays it', async () => {
    const tape = path.join(tempDir(), 'by-hand.tape');
    const recorded = await node(['--import', REGISTER, '-e', CODE, 'one', 'two'], { env: { LOOPTAPE_OUT: tape } });
    expect(recorded.out).toBe('late true one,two\n');
    // The recorder's own preload is not part of it: replay adds its own.
    expect(await listedCommand(tape)).toBe(`node -e ${CODE} one two`);
    const replayed = await looptape(['replay', tape]);
    expect(replayed.code, replayed.out + replayed.err).toBe(0);
    expect(replayed.out).toContain('late true one,two\n');
    expect(replayed.out).toContain('replay matched the recording');
  });

  it('replays node -e recorded with looptape record', async () => {
    const tape = path.join(tempDir(), 'record.tape');
    const recorded = await looptape(['record', '--out', tape, '--', process.execPath, '-e', CODE]);
    expect(recorded.out).toBe('late true \n');
    const replayed = await looptape(['replay', tape]);
    expect(replayed.code, replayed.out + replayed.err).toBe(0);
    expect(replayed.out).toContain('replay matched the recording');
  });

  it('refuses in one line a program that was read from stdin', async () => {
    const tape = path.join(tempDir(), 'stdin.tape');
    await node(['--import', REGISTER, '-'], { env: { LOOPTAPE_OUT: tape } });
    expect(await listedCommand(tape)).toBe('node -');
    const replayed = await looptape(['replay', tape]);
    expect(replayed.code).toBe(2);
    expect(replayed.out).toBe('');
    expect(lines(replayed.err)).toEqual([expect.stringMatching(/^looptape: cannot replay: .*read it from stdin.*give the command after --/)]);
  });
});
