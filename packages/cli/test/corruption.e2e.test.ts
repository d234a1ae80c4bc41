/**
 * A damaged recording never tells a different story. Each committed example recording (brought
 * to the current format, checksums included) gets one byte changed at 50 seeded positions — in
 * the header page, the schema, index pages and data pages alike — and for every position each of
 * `verify`, `events`, `report` and `ls` (and `replay`, at every third position, and `inspect`
 * in a real terminal under tmux, at every fifth, unless told otherwise) either prints exactly
 * what it prints for the intact file (inspect: the same screen once all is loaded), or exits 2
 * with one line. Never exit 0 (or 1) with other output, never a stack.
 *
 * `replay` runs the real command in a child process (it starts the recorded program); the
 * others run the command line's own `main()` in this process, which is what bin.js calls, so
 * 800 runs take seconds instead of minutes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { upgradeRecording } from '@looptape/recording';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { BIN, killAll, looptape, removeTemps, ROOT, tempDir } from '../../recorder/test/support/looptape.js';

const EXAMPLES = ['price-race', 'double-book', 'timeout-race', 'fire-and-forget'];
const POSITIONS = 50;
/**
 * A replay starts the recorded program (about 0.5 s of CPU): every third position by default,
 * to keep the suite near a minute on two cores; LOOPTAPE_CORRUPTION_REPLAY_EVERY=1 replays all.
 */
const REPLAY_EVERY = Number(process.env.LOOPTAPE_CORRUPTION_REPLAY_EVERY ?? 3);
/** inspect runs in tmux until all is loaded (a few seconds): every fifth position by default. */
const INSPECT_EVERY = Number(process.env.LOOPTAPE_CORRUPTION_INSPECT_EVERY ?? 5);
const IN_PROCESS = [['verify'], ['events'], ['report'], ['ls']];
const PAGE = 4096;

interface Outcome {
  code: number | null;
  out: string;
  err: string;
}

let dir: string;

beforeAll(() => {
  dir = tempDir();
});
afterEach(() => killAll());
afterAll(() => removeTemps());

/** A small seeded generator (mulberry32): the same positions on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 50 offsets: 5 in the database header, 5 elsewhere in the first page (the schema), the rest anywhere. */
function positions(size: number, seed: number): Array<{ offset: number; mask: number }> {
  const next = random(seed);
  return Array.from({ length: POSITIONS }, (_, i) => {
    const offset = i < 5 ? Math.floor(next() * 100) : i < 10 ? 100 + Math.floor(next() * (PAGE - 100)) : Math.floor(next() * size);
    return { offset, mask: 1 + Math.floor(next() * 255) };
  });
}

async function inProcess(args: string[]): Promise<Outcome> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) => new Writable({ write(chunk, _enc, done) { into.push(Buffer.from(chunk)); done(); } });
  const code = await main(args, { stdout: sink(out), stderr: sink(err), stdin: process.stdin, cwd: dir, env: {} });
  return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}

/** `replay --json` without its wall-clock timing (the one field that differs from run to run). */
async function replayed(file: string): Promise<Outcome> {
  const run = await looptape(['replay', file, '--json'], { cwd: ROOT });
  let out = run.out;
  try {
    const result = JSON.parse(run.out);
    delete result.wallMs;
    out = JSON.stringify(result);
  } catch {
    // not JSON: compared as it is
  }
  return { code: run.code, out, err: run.err };
}

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `looptape inspect` in a real terminal (tmux, 100x30): the screen once the task tree, the
 * findings and the event count are in and it stays the same (then `q`), or, when the command
 * ended by itself, its exit code and what it wrote on stderr.
 */
async function inspected(file: string, tag: string): Promise<Outcome> {
  const session = `looptape-corruption-${process.pid}-${tag}`;
  const [exitFile, errFile] = [`${file}.exit`, `${file}.err`];
  // Ink's restore-cursor writes "show the cursor" (ESC[?25h) on stderr at exit: no text for a terminal.
  const stderr = () => fs.readFileSync(errFile, 'utf8').replaceAll('\u001B[?25h', '');
  const command = `env NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} inspect ${JSON.stringify(file)} 2> ${JSON.stringify(errFile)}; echo $? > ${JSON.stringify(exitFile)}; sleep 30`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', command);
  try {
    const ended = () => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').trim() !== '';
    const loaded = (screen: string) => screen.includes('Events') && !/loading…|analysing…|counting events…/.test(screen);
    let screen = '';
    for (const until = Date.now() + 30_000; Date.now() < until && !ended(); ) {
      const now = tmux('capture-pane', '-p', '-t', session);
      if (loaded(now) && now === screen) break;
      screen = now;
      await pause(300);
    }
    if (!ended()) {
      tmux('send-keys', '-t', session, 'q');
      for (const until = Date.now() + 10_000; Date.now() < until && !ended(); ) await pause(100);
      return { code: ended() ? Number(fs.readFileSync(exitFile, 'utf8')) : null, out: screen, err: stderr() };
    }
    return { code: Number(fs.readFileSync(exitFile, 'utf8')), out: '', err: stderr() };
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
}

/** Why a run on a damaged file is not acceptable, or undefined when it is. */
function judge(intact: Outcome, damaged: Outcome): string | undefined {
  if (damaged.code === intact.code && damaged.out === intact.out && damaged.err === intact.err) return undefined;
  const lines = damaged.err.split('\n').filter(Boolean);
  if (damaged.code !== 2) return `exit ${damaged.code} with output unlike the intact file's: ${damaged.err.slice(0, 300) || damaged.out.slice(0, 300)}`;
  if (lines.length !== 1 || !lines[0].startsWith('looptape: ') || damaged.err.includes('    at ')) return `exit 2 but not one line: ${damaged.err.slice(0, 300)}`;
  return undefined;
}

describe('recordings damaged at seeded positions', () => {
  EXAMPLES.forEach((name, index) => {
    it(`${name}: every command gives the intact output or exit 2 with one line, at ${POSITIONS} positions`, async () => {
      const intactFile = path.join(dir, `${name}.tape`);
      upgradeRecording(path.join(ROOT, 'recordings/examples', `${name}.tape`), intactFile);
      const intact = new Map<string, Outcome>();
      for (const args of IN_PROCESS) intact.set(args[0], await inProcess([...args, intactFile]));
      intact.set('replay', await replayed(intactFile));
      intact.set('inspect', await inspected(intactFile, `${name}-intact`));
      expect(intact.get('verify')!.code, intact.get('verify')!.err).toBe(0);
      expect(intact.get('inspect')!.code, intact.get('inspect')!.err).toBe(0);
      expect(intact.get('inspect')!.out).toContain(`looptape inspect ${name}.tape`);
      expect(intact.get('replay')!.code, intact.get('replay')!.err).toBe(0);

      const bytes = fs.readFileSync(intactFile);
      const failures: string[] = [];
      let detected = 0;
      const replays: Array<Promise<void>> = [];
      for (const [i, { offset, mask }] of positions(bytes.length, 1000 + index).entries()) {
        // The intact file's name in another folder: outputs compare once the folder is replaced.
        const folder = path.join(dir, `${name}-${i}-at-${offset}`);
        const file = path.join(folder, `${name}.tape`);
        const damaged = Buffer.from(bytes);
        damaged[offset] ^= mask;
        fs.mkdirSync(folder);
        fs.writeFileSync(file, damaged);
        const named = (o: Outcome) => ({ ...o, out: o.out.replaceAll(folder, dir), err: o.err.replaceAll(folder, dir) });
        for (const args of IN_PROCESS) {
          const outcome = named(await inProcess([...args, file]));
          if (outcome.code === 2) detected++;
          const why = judge(intact.get(args[0])!, outcome);
          if (why) failures.push(`offset ${offset} ^${mask} ${args[0]}: ${why}`);
        }
        if (i % INSPECT_EVERY === 0) {
          const why = judge(intact.get('inspect')!, named(await inspected(file, `${name}-${i}`)));
          if (why) failures.push(`offset ${offset} ^${mask} inspect: ${why}`);
        }
        if (i % REPLAY_EVERY !== 0) continue;
        replays.push(replayed(file).then((o) => {
          const why = judge(intact.get('replay')!, named(o));
          if (why) failures.push(`offset ${offset} ^${mask} replay: ${why}`);
        }));
        // Two replays at a time: the machine has two cores.
        if (replays.length >= 2) await Promise.all(replays.splice(0));
      }
      await Promise.all(replays);
      expect(failures).toEqual([]);
      // The positions do reach data the checks guard, not only free space.
      expect(detected).toBeGreaterThan(0);
    }, 300_000);
  });
});
