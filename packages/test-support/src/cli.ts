/**
 * The one runner of the real `looptape` command (packages/cli/dist/bin.js) and of plain programs
 * in child processes, for the end-to-end tests, as a user would run them. Every child is started
 * in its own process group and killed (group and all) at its timeout or by `killAll()`, which a
 * test file calls in afterEach: a failing test leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');

const running = new Set<ChildProcess>();

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** stdout and stderr as UTF-8. */
  out: string;
  err: string;
  /** Whole-process wall time, ms. */
  ms: number;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  /** What the process wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves the first match of `pattern` in stdout; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves when the process has exited (killed, group and all, after `timeoutMs`). */
  finished: Promise<Finished>;
}

export interface StartOptions {
  /** Default: the repository root. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The process (and its group) is killed after this long (default 30 s); the test then fails on its output. */
  timeoutMs?: number;
  /** Called with each piece of stdout as it arrives (all of it is still collected). */
  onStdout?: (text: string) => void;
}

/** Starts a command in its own process group, collecting its output. */
export function start(argv: string[], options: StartOptions = {}): Running {
  const started = performance.now();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const decoder = new StringDecoder('utf8');
  child.stdout!.on('data', (d: Buffer) => {
    out.push(d);
    options.onStdout?.(decoder.write(d));
  });
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const timer = setTimeout(() => killGroup(child), options.timeoutMs ?? 30_000);
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      resolve({ code, signal, stdout, stderr, out: stdout.toString('utf8'), err: stderr.toString('utf8'), ms: performance.now() - started });
    });
  });
  const stdout = () => Buffer.concat(out).toString('utf8');
  return {
    child,
    pid: child.pid!,
    stdout,
    stderr: () => Buffer.concat(err).toString('utf8'),
    finished,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stdout());
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} in the output of ${argv.join(' ')}:\n${stdout()}\n${Buffer.concat(err).toString('utf8')}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** Runs `looptape ARGS…` (the real CLI) to the end. */
export function looptape(args: string[], options: StartOptions = {}): Promise<Finished> {
  return start([process.execPath, BIN, ...args], options).finished;
}

/** Starts `looptape ARGS…` without waiting for it. */
export function startLooptape(args: string[], options: StartOptions = {}): Running {
  return start([process.execPath, BIN, ...args], options);
}

/** Runs a plain `node` program (no recorder) to the end. */
export function node(args: string[], options: StartOptions = {}): Promise<Finished> {
  return start([process.execPath, ...args], options).finished;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every process a test started that is still running (with its group: `looptape record` and the recorded program). */
export function killAll(): void {
  for (const child of running) killGroup(child);
  running.clear();
}
