/**
 * However the program ends — normally, process.exit, a crash, an unhandled rejection, a
 * signal to `looptape record`, SIGKILL — `record` exits with the program's code and leaves a
 * readable recording that says how it ended.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordingReader, type LoopEvent, type RecordingMeta } from '@looptape/recording';
import { events, fixture, killAll, lines, looptape, node, ofKind, removeTemps, sleep, startLooptape, tempDir } from './support/looptape.js';

const ENDING = fixture('ending.mjs');

afterEach(() => killAll());
afterAll(() => removeTemps());

function meta(file: string): RecordingMeta {
  const reader = RecordingReader.open(file);
  try {
    return reader.meta;
  } finally {
    reader.close();
  }
}

async function record(how: string) {
  const out = path.join(tempDir(), `${how}.tape`);
  const run = await looptape(['record', '--out', out, '--', process.execPath, ENDING, how]);
  return { out, run, all: await events(out) };
}

/** The lines Node prints for an uncaught error, up to the error line (location, source, caret, blank, message). */
function nodeErrorHead(stderr: string): string[] {
  const all = lines(stderr).filter((l) => !l.startsWith('looptape:'));
  const message = all.findIndex((l) => /^Error: /.test(l));
  return all.slice(0, message + 1);
}

describe('how the program ends', () => {
  it('exits 0 after a normal end, with process.exit code 0 last and the recording complete', async () => {
    const { out, run, all } = await record('normal');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^ready \d+\ndone\n$/);
    expect(all.at(-1)).toMatchObject({ kind: 'process.exit', code: 0 });
    expect(meta(out)).toMatchObject({ complete: true, exitCode: 0, signal: null });
  });

  it('exits with the code the program passed to process.exit', async () => {
    const { out, run, all } = await record('exit3');
    expect(run.code, run.err).toBe(3);
    expect(run.out).toMatch(/^ready \d+\nexiting with 3\n$/);
    expect(ofKind(all, 'process.exit').map((e) => e.code)).toEqual([3]);
    expect(meta(out)).toMatchObject({ complete: true, exitCode: 3 });
  });

  it('lets an uncaught error crash the program as Node would (exit 1, Node\'s own error text) and records it', async () => {
    const [{ out, run, all }, plain] = await Promise.all([record('throw'), node([ENDING, 'throw'])]);
    expect(plain.code).toBe(1);
    expect(run.code).toBe(1);
    expect(nodeErrorHead(run.err)).toEqual(nodeErrorHead(plain.err));
    expect(nodeErrorHead(run.err).at(-1)).toBe('Error: boom from a timer');
    expect(run.err).toContain(`Node.js ${process.version}`);
    const [uncaught] = ofKind(all, 'error.uncaught');
    expect(uncaught).toMatchObject({ name: 'Error', message: 'boom from a timer' });
    expect(uncaught.stack).toContain('ending.mjs:');
    expect(ofKind(all, 'process.exit').map((e) => e.code)).toEqual([1]);
    expect(meta(out)).toMatchObject({ complete: true, exitCode: 1 });
  });

  it('lets an unhandled rejection end the program as Node would (exit 1) and records it', async () => {
    const [{ out, run, all }, plain] = await Promise.all([record('reject'), node([ENDING, 'reject'])]);
    expect(plain.code).toBe(1);
    expect(run.code).toBe(1);
    expect(nodeErrorHead(run.err)).toEqual(nodeErrorHead(plain.err));
    expect(ofKind(all, 'error.unhandled-rejection')).toMatchObject([{ name: 'Error', message: 'nobody handles this' }]);
    expect(ofKind(all, 'error.uncaught')).toHaveLength(0);
    expect(meta(out)).toMatchObject({ complete: true, exitCode: 1 });
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`ends a program without a handler on ${signal} to record: exit ${code}, a complete recording ending in process.signal`, async () => {
      const out = path.join(tempDir(), `${signal}.tape`);
      const recording = startLooptape(['record', '--out', out, '--', process.execPath, ENDING, 'wait']);
      await recording.waitFor(/ready \d+\n/);
      process.kill(recording.pid, signal);
      const run = await recording.finished;
      expect(run.code, run.err).toBe(code);
      const all = await events(out);
      expect(all.filter((e) => !e.kind.startsWith('task.')).at(-1)).toMatchObject({ kind: 'process.signal', signal });
      expect(ofKind(all, 'process.exit')).toHaveLength(0);
      expect(meta(out)).toMatchObject({ complete: true, signal, exitCode: null });
    });

    it(`runs the program's own ${signal} handler, exits with the code it chose, and records it`, async () => {
      const out = path.join(tempDir(), `${signal}-handled.tape`);
      const recording = startLooptape(['record', '--out', out, '--', process.execPath, ENDING, 'handle']);
      await recording.waitFor(/ready \d+\n/);
      process.kill(recording.pid, signal);
      const run = await recording.finished;
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(new RegExp(`^ready \\d+\\ncaught ${signal}\\n$`));
      const kinds = (await events(out)).filter((e) => ['process.signal', 'console', 'process.exit'].includes(e.kind));
      expect(kinds.slice(-3)).toMatchObject([
        { kind: 'process.signal', signal },
        { kind: 'console', text: `caught ${signal}\n` },
        { kind: 'process.exit', code: 0 },
      ]);
      expect(meta(out)).toMatchObject({ complete: true, exitCode: 0, signal: null });
    });
  }

  it('keeps what was written before the program was SIGKILLed: readable, incomplete, up to about the last second', async () => {
    const out = path.join(tempDir(), 'killed.tape');
    const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('busy.mjs')]);
    const [, pid] = await recording.waitFor(/pid (\d+)\n/);
    await new Promise((r) => setTimeout(r, 1500));
    const printedTicks = recording.stdout().match(/tick \d+/g) ?? [];
    process.kill(Number(pid), 'SIGKILL');
    const run = await recording.finished;
    expect(run.code).toBe(128 + 9);
    expect(run.err).toContain('looptape: the program was killed (SIGKILL)');
    expect(run.err).not.toContain('    at ');
    expect(Number(printedTicks.at(-1)?.slice(5)), 'ticks printed in 1.5 s').toBeGreaterThan(20);
    // Compared with all the program printed before it died: what this process had read of it
    // when it sent the kill can lag behind by ticks the recorder had already written.
    const lastPrinted = Number(run.out.match(/tick \d+/g)?.at(-1)?.slice(5));
    const ticks = ofKind(await events(out), 'console').map((e) => Number(/^tick (\d+)/.exec(e.text)?.[1] ?? 0));
    const lastRecorded = Math.max(...ticks);
    expect(lastRecorded).toBeLessThanOrEqual(lastPrinted + 1);
    expect(lastRecorded, 'a tick every 20 ms: at most ~1 s lost').toBeGreaterThanOrEqual(lastPrinted - 50);
    expect(meta(out)).toMatchObject({ complete: false, signal: 'SIGKILL' });
  });
});

const nonTask = (all: LoopEvent[]) => all.filter((e) => !e.kind.startsWith('task.'));

describe('Ctrl-C', () => {
  it('reaches the recorded program once when the terminal signals the whole process group; record exits with the code the program chose', async () => {
    const out = path.join(tempDir(), 'sigint.tape');
    // startLooptape spawns `record` detached: its own process group, as a shell job in a terminal.
    const recording = startLooptape(['record', '--out', out, '--', process.execPath, fixture('sigint.mjs')]);
    await recording.waitFor(/ready \d+\n/);
    await sleep(100);
    process.kill(-recording.pid, 'SIGINT'); // what the terminal does on Ctrl-C: the foreground group
    const run = await recording.finished;
    expect(run.code, run.err).toBe(7);
    expect(run.out).toMatch(/^ready \d+\nsigints 1\n$/);
    const all = await events(out);
    expect(ofKind(all, 'process.signal').map((e) => e.signal)).toEqual(['SIGINT']);
    expect(ofKind(all, 'process.exit').map((e) => e.code)).toEqual([7]);
  });
});

describe('exit handlers', () => {
  it("records what the program's own process.on('exit') handler prints and the Date.now it draws, before process.exit", async () => {
    const out = path.join(tempDir(), 'exit.tape');
    const run = await looptape(['record', '--out', out, '--', process.execPath, fixture('exit-handler.mjs')]);
    expect(run.code, run.err).toBe(0);
    const [, printedNow] = /^work done\nexit handler code 0 at (\d+)\n$/.exec(run.out) ?? [];
    expect(printedNow, run.out).toBeDefined();
    const all = nonTask(await events(out));
    const exit = all.findIndex((e) => e.kind === 'process.exit');
    expect(exit).toBeGreaterThan(0);
    expect(all.filter((e) => e.kind !== 'process.active').at(-1)).toMatchObject({ kind: 'process.exit', code: 0 });
    const said = all.findIndex((e) => e.kind === 'console' && e.text === `exit handler code 0 at ${printedNow}\n`);
    const drawn = all.findIndex((e) => e.kind === 'nondet' && e.source === 'Date.now' && e.value === Number(printedNow));
    expect(said, 'the exit handler\'s console.log is recorded').not.toBe(-1);
    expect(drawn, 'its Date.now draw is recorded with the value it printed').not.toBe(-1);
    expect(drawn).toBeLessThan(said);
    expect(said).toBeLessThan(exit);
  });
});
