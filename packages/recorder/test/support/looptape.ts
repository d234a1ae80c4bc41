/**
 * Helpers for end-to-end tests that run the real `looptape` command (packages/cli/dist/bin.js,
 * built with `npx tsc -b packages/cli`) in child processes, as a user would.
 * Every child is started in its own process group and killed (group and all) by `killAll()`,
 * which each test file calls in afterEach: a failing test leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoopEvent } from '@looptape/recording';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
export const FIXTURES = path.join(ROOT, 'packages/recorder/test/fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

const running = new Set<ChildProcess>();
const temps: string[] = [];

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** stdout and stderr as UTF-8. */
  out: string;
  err: string;
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
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The process (and its group) is killed after this long; the test then fails on its output. */
  timeoutMs?: number;
}

/** Starts a command in its own process group, collecting its output. */
export function start(argv: string[], options: StartOptions = {}): Running {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const timer = setTimeout(() => killGroup(child), options.timeoutMs ?? 30_000);
  const finished = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err);
      resolve({ code, signal, stdout, stderr, out: stdout.toString('utf8'), err: stderr.toString('utf8') });
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

/** A recording's events as `looptape events FILE --json` prints them (one object a line). */
export async function events(file: string, ...filters: string[]): Promise<LoopEvent[]> {
  const run = await looptape(['events', file, '--json', ...filters]);
  if (run.code !== 0) throw new Error(`looptape events ${file} exited ${run.code}: ${run.err}`);
  return run.out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoopEvent);
}

/** Events of one kind, typed. */
export function ofKind<K extends LoopEvent['kind']>(all: LoopEvent[], kind: K): Extract<LoopEvent, { kind: K }>[] {
  return all.filter((e): e is Extract<LoopEvent, { kind: K }> => e.kind === kind);
}

/** The lines of a stream's output, without the empty one after the last newline. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** A fresh temporary folder, removed after the test file (call `removeTemps` in afterAll). */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-e2e-'));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every process a test started (with its group: `looptape record` and the recorded program). */
export function killAll(): void {
  for (const child of running) killGroup(child);
  running.clear();
}

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0) whose close() also ends open connections. */
export async function serve(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port on 127.0.0.1 where nothing listens (connecting to it is refused). */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The body of a recorded request or response as bytes. */
export function bodyBytes(e: { body: string; bodyEncoding?: string }): Buffer {
  return e.bodyEncoding === 'base64' ? Buffer.from(e.body, 'base64') : Buffer.from(e.body, 'utf8');
}

/** 1-based line of the first line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`no '${marker}' in ${file}`);
  return index + 1;
}
