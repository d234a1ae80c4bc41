// Runs the real looptape CLI (test-support's runner) and the example programs in child
// processes, for the replayer's end-to-end tests. Everything is asynchronous: stubs served by
// the test process itself must keep answering while a recording runs.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoopEvent } from '@looptape/recording';
import { BIN, ROOT, start } from '../../../test-support/src/cli.js';
import type { ReplayResult } from '../../src/result.js';

export { BIN, ROOT } from '../../../test-support/src/cli.js';
export const FIXTURES = path.join(ROOT, 'packages/replayer/test/fixtures');
export const NODE = process.execPath;
export const fixture = (name: string) => path.join(FIXTURES, name);

/** A fresh scratch folder under /tmp, removed by the caller's afterAll. */
export function scratch(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `replay-tests-${name}-`));
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whole-process wall time, ms. */
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Killed (SIGKILL, with its process group) after this long; the run then has signal SIGKILL. */
  timeoutMs?: number;
  /** Called with each piece of stdout as it arrives (the run still collects it all). */
  onStdout?: (text: string) => void;
}

/** Runs argv to its end (test-support's runner) and collects its output; never rejects for a non-zero exit. */
export async function run(argv: string[], { cwd = ROOT, env = {}, timeoutMs = 60_000, onStdout }: RunOptions = {}): Promise<Run> {
  const { code, signal, out, err, ms } = await start(argv, { cwd, env, timeoutMs, onStdout }).finished;
  return { code, signal, stdout: out, stderr: err, ms };
}

/** `looptape ARGS` from the repository root. */
export function looptape(args: string[], options?: RunOptions): Promise<Run> {
  return run([NODE, BIN, ...args], options);
}

export interface JsonReplay extends Run {
  result: ReplayResult;
}

/** `looptape replay FILE --json [ARGS] [-- CMD]`, its result parsed. Throws when there is no JSON result. */
export async function replayJson(file: string, args: string[] = [], command: string[] = [], options?: RunOptions): Promise<JsonReplay> {
  const r = await looptape(['replay', file, '--json', ...args, ...(command.length ? ['--', ...command] : [])], options);
  let result: ReplayResult;
  try {
    result = JSON.parse(r.stdout) as ReplayResult;
  } catch {
    throw new Error(`replay ${file} printed no JSON result (exit ${r.code ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, result };
}

/** `looptape record --force --out FILE -- CMD`; throws when no recording was left. */
export async function record(out: string, command: string[], options?: RunOptions): Promise<Run> {
  const r = await looptape(['record', '--force', '--out', out, '--', ...command], options);
  if (!fs.existsSync(out)) throw new Error(`record left no recording (exit ${r.code ?? r.signal}): ${r.stderr}`);
  return r;
}

/** `looptape events FILE --json [--kind K]…`, parsed. */
export async function events(file: string, kinds: string[] = []): Promise<LoopEvent[]> {
  const r = await looptape(['events', file, '--json', ...kinds.flatMap((k) => ['--kind', k])]);
  if (r.code !== 0) throw new Error(`events ${file} exited ${r.code}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoopEvent);
}

/** What the recorded program printed on stdout, from its console events. */
export function recordedStdout(evs: readonly LoopEvent[]): string {
  return evs.flatMap((e) => (e.kind === 'console' && e.stream === 'stdout' ? [e.text] : [])).join('');
}

/** What an answer is, without when it came (a replay's virtual time is not the recorded one). */
export type Answer = Pick<ReplayResult['responses'][number], 'method' | 'url' | 'status' | 'body'>;

/** A run's answers as recordedResponses() gives them. */
export function answers(responses: ReplayResult['responses']): Answer[] {
  return responses.map(({ method, url, status, body }) => ({ method, url, status, body }));
}

/** The recorded answers to inbound requests, in recorded order. */
export function recordedResponses(evs: readonly LoopEvent[]): Answer[] {
  const requests = new Map<number, { method: string; url: string }>();
  const out: Answer[] = [];
  for (const e of evs) {
    if (e.kind === 'http.request' && e.direction === 'in') requests.set(e.exchange, { method: e.method, url: e.url });
    if (e.kind === 'http.response' && e.direction === 'in') {
      const request = requests.get(e.exchange);
      out.push({ method: request?.method ?? '?', url: request?.url ?? '?', status: e.status, body: e.body });
    }
  }
  return out;
}

// ---- the examples -------------------------------------------------------------------

export interface ExampleResult {
  appExitCode: number | null;
  appStdout: string;
  appStderr: string;
  traffic: Array<{ method: string; path: string; status: number | null; body: string }>;
  upstreamUrl: string;
  appUrl: string;
  timedOut: boolean;
}

interface Harness {
  EXAMPLES: string[];
  runExample(name: string, options: { app?: string[]; cwd?: string; env?: Record<string, string> }): Promise<ExampleResult>;
  bugShown(name: string, result: Pick<ExampleResult, 'traffic' | 'appStderr' | 'appExitCode'>): boolean;
}

export const harness = (): Promise<Harness> => import(pathToFileURL(path.join(ROOT, 'examples/harness.mjs')).href) as Promise<Harness>;

/** Records example `name`'s buggy server under its traffic; fails unless the run showed the bug. */
export async function recordExample(name: string, out: string): Promise<ExampleResult> {
  const h = await harness();
  const result = await h.runExample(name, {
    app: [NODE, BIN, 'record', '--force', '--out', out, '--', NODE, `examples/${name}/server.mjs`],
    cwd: ROOT,
  });
  if (!fs.existsSync(out)) throw new Error(`recording ${name} left no file: ${result.appStderr}`);
  if (!h.bugShown(name, result)) throw new Error(`the recorded run of ${name} did not show its bug:\n${JSON.stringify(result.traffic)}\n${result.appStderr}`);
  return result;
}

/**
 * A copy of examples/<name>/server.mjs in `dir`, with its shared-plumbing import made
 * absolute and `edit` applied to its text. Returns the copy's path and the 1-based line
 * of the first line containing `marker` (the edit).
 */
export function editedExample(dir: string, name: string, edit: (text: string) => string, marker: string): { file: string; line: number } {
  const original = fs.readFileSync(path.join(ROOT, 'examples', name, 'server.mjs'), 'utf8');
  const lib = pathToFileURL(path.join(ROOT, 'examples/lib/app.mjs')).href;
  const text = edit(original.replace("'../lib/app.mjs'", `'${lib}'`));
  if (text === original || !text.includes(marker)) throw new Error(`the edit of ${name} changed nothing`);
  const file = path.join(dir, `${name}-${fs.readdirSync(dir).length}.mjs`);
  fs.writeFileSync(file, text);
  return { file, line: text.split('\n').findIndex((l) => l.includes(marker)) + 1 };
}

// ---- the other core, kept busy ----------------------------------------------------------

/** A second process spinning on a core for at most `maxMs`; stop() kills it and waits for it. */
export function busyCore(maxMs = 300_000): { stop(): Promise<void>; child: ChildProcess } {
  const child = spawn(NODE, ['-e', `const end = Date.now() + ${maxMs}; let x = 0; while (Date.now() < end) x = (x * 31 + 7) % 1000003;`], { stdio: 'ignore' });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    },
  };
}

/** Whether the busy child is still running (it must be, for the load to mean anything). */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
