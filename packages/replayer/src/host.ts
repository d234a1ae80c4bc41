/**
 * A replay host: the preload of a process that replays one recording many times, one run after
 * another, for exploration. A process per run spends most of its time starting Node and loading
 * the replayer; a host loads them once and then, for each run, loads the program afresh (new
 * module instances: host-hooks.ts), replays, and puts the process back as it found it.
 *
 * The parent (the explorer) sends `{ run, options }` over the IPC channel and gets `{ run, done }`
 * once the run's result file is written, or `{ run, fallback }` for a run a host cannot give
 * (it then runs it in a process of its own). A host that cannot put the process back (the program
 * left work running, or loaded too much) says `retire` with its last answer and exits.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RecordingError, formatError } from '@looptape/recording';
import { ReplayError } from './errors.js';
import { ENTERED } from './host-hooks.js';
import { startReplay, type Replay, type ReplayOptions } from './world.js';

export interface HostRequest {
  run: number;
  options: ReplayOptions;
}

export interface HostAnswer {
  run: number;
  /** The result file is written. */
  done?: boolean;
  /** Why this run needs a process of its own. */
  fallback?: string;
  /** This host exits after this answer. */
  retire?: string;
}

/** Runs a host gives before it makes way for a fresh one (each run's modules stay loaded). */
const MAX_RUNS = 250;
const MAX_HEAP = 1024 * 1024 * 1024;
/** How long loading the program may take before the schedule begins anyway (see replayOnce). */
const LOADING_MS = 5000;
/** Thrown by the program's process.exit() to leave its code, as a real exit would. */
const EXITED = Symbol('looptape.host.exited');

const realSetImmediate = setImmediate;
const realSetTimeout = setTimeout;
const realExit = process.exit.bind(process);
const require = createRequire(import.meta.url);

/** The process as the program may change it: put back after each run. */
interface Snapshot {
  listeners: Map<string | symbol, Function[]>;
  globals: Map<string | symbol, PropertyDescriptor>;
  env: NodeJS.ProcessEnv;
  argv: string[];
  cwd: string;
  modules: Set<string>;
}

function snapshot(): Snapshot {
  const listeners = new Map<string | symbol, Function[]>();
  for (const name of process.eventNames()) listeners.set(name, process.rawListeners(name));
  const globals = new Map<string | symbol, PropertyDescriptor>();
  for (const key of Reflect.ownKeys(globalThis)) globals.set(key, Object.getOwnPropertyDescriptor(globalThis, key)!);
  return { listeners, globals, env: { ...process.env }, argv: [...process.argv], cwd: process.cwd(), modules: new Set(Object.keys(require.cache)) };
}

function restoreListeners(before: Snapshot): void {
  for (const name of process.eventNames()) {
    const kept = before.listeners.get(name) ?? [];
    for (const listener of process.rawListeners(name)) {
      if (!kept.includes(listener)) process.removeListener(name, listener as (...args: unknown[]) => void);
    }
  }
}

function restoreProcess(before: Snapshot): void {
  restoreListeners(before);
  for (const key of Reflect.ownKeys(globalThis)) {
    const was = before.globals.get(key);
    if (!was) delete (globalThis as Record<string | symbol, unknown>)[key];
    else if (!sameDescriptor(was, Object.getOwnPropertyDescriptor(globalThis, key)!)) Object.defineProperty(globalThis, key, was);
  }
  for (const key of Object.keys(process.env)) if (!(key in before.env)) delete process.env[key];
  Object.assign(process.env, before.env);
  process.argv.splice(0, process.argv.length, ...before.argv);
  if (process.cwd() !== before.cwd) process.chdir(before.cwd);
  process.exitCode = undefined;
  for (const id of Object.keys(require.cache)) if (!before.modules.has(id)) delete require.cache[id];
  // Sockets the program's requests left in Node's shared agents were the run's own.
  http.globalAgent.destroy();
  https.globalAgent.destroy();
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable;
}

/**
 * Kinds of handles and requests that keep the event loop alive, beyond those of the host itself.
 * Immediates are not counted: they run within the turn (quiescence waits for a program that keeps queuing them).
 */
function extraResources(baseline: readonly string[]): string[] {
  const left = [...baseline];
  return process.getActiveResourcesInfo().filter((kind) => {
    const at = left.indexOf(kind);
    if (at >= 0) left.splice(at, 1);
    return at < 0 && kind !== 'Immediate';
  });
}

/** Waits (up to `ms`) until the program has no handle or request of its own left. */
async function settled(baseline: readonly string[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let turn = 0; ; turn++) {
    // Looked at from an immediate: not from inside a timer of this wait, which counts until it is over.
    await new Promise((resolve) => realSetImmediate(resolve));
    if (turn >= 2 && extraResources(baseline).length === 0) return true;
    if (Date.now() > deadline) return false;
    if (turn >= 2) await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

/** How the program's entry is loaded: as an ES module (fresh instances by URL), or by the CommonJS loader (as `node app.js` would). */
function entryKind(entry: string): 'module' | 'commonjs' {
  const ext = path.extname(entry);
  if (ext === '.mjs' || ext === '.mts') return 'module';
  if (ext === '.cjs' || ext === '.cts') return 'commonjs';
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module') return 'module';
      } catch {
        // Not JSON: Node would refuse it too; the CommonJS loader says why.
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  // No "type": Node 22 and later run a file written with import/export as a module.
  return /^\s*(import\s*[\w{*'"]|export\s)/m.test(fs.readFileSync(entry, 'utf8')) ? 'module' : 'commonjs';
}

async function serve(): Promise<void> {
  // The explorer gone, its hosts go too.
  process.on('disconnect', () => realExit(0));
  const script = process.argv[1];
  if (!script || !fs.existsSync(script)) {
    const refuse = (m: HostRequest) => process.send!({ run: m.run, fallback: `no program file to load (${script ?? 'none'})` } satisfies HostAnswer, () => realExit(0));
    process.once('message', refuse);
    return new Promise(() => {});
  }
  const entry = path.resolve(script);
  const entryUrl = pathToFileURL(entry).href;
  const kind = entryKind(entry);
  register(new URL('./host-hooks.js', import.meta.url), { data: { entry: entryUrl } });
  const Module = require('node:module') as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const send = (answer: HostAnswer) => new Promise<void>((resolve) => process.send!(answer, () => resolve()));

  // An exception the program does not handle ends its run as it would end its process: 'exit' with code 1.
  let crash: (() => void) | undefined;
  process.on('uncaughtException', (error: unknown) => {
    if (error === EXITED) return;
    // The program's own handlers (beside this one) deal with it, as they would in its process.
    if (process.listenerCount('uncaughtException') > 1) return;
    crash?.();
  });

  const requests: HostRequest[] = [];
  let wake: (() => void) | undefined;
  process.on('message', (m: HostRequest) => {
    requests.push(m);
    wake?.();
  });
  process.channel?.unref();
  const baseline = process.getActiveResourcesInfo();
  for (let runs = 1; ; runs++) {
    if (requests.length === 0) {
      process.channel?.ref();
      await new Promise<void>((resolve) => (wake = resolve));
      process.channel?.unref();
    }
    const { run, options } = requests.shift()!;
    const before = snapshot();
    const retire = await replayOnce(runs, options, before);
    restoreProcess(before);
    const why = retire ?? (runs >= MAX_RUNS ? `${MAX_RUNS} runs` : process.memoryUsage().heapUsed > MAX_HEAP ? 'memory' : undefined);
    if (why && process.env.LOOPTAPE_DEBUG) process.stderr.write(`looptape: replay host makes way after ${runs} runs: ${why}\n`);
    await send({ run, done: true, retire: why });
    if (why) realExit(0);
  }

  /** One run: the replay world, the program loaded afresh, until its end. A reason to retire when the process is not clean after it. */
  async function replayOnce(runs: number, options: ReplayOptions, before: Snapshot): Promise<string | undefined> {
    let replay: Replay | undefined;
    let ended = false;
    let over!: () => void;
    const done = new Promise<void>((resolve) => (over = resolve));
    const end = () => {
      if (ended) return;
      ended = true;
      replay?.restore();
      restoreListeners(before);
      over();
    };
    try {
      replay = startReplay(options, { end, exitWhenIdle: (ms, otherwise) => exitWhenIdle(ms, otherwise) });
    } catch (error) {
      if (!(error instanceof ReplayError || error instanceof RecordingError)) throw error;
      fs.writeFileSync(options.resultFile, JSON.stringify({ ok: false, refused: formatError(error) }));
      return undefined;
    }
    // The program's own listeners: not Node's, which know of no exit (they would see the host's own await unsettled).
    const emitOwn = (event: 'beforeExit' | 'exit', code: number) => {
      const nodes = before.listeners.get(event) ?? [];
      for (const listener of nodes) process.removeListener(event, listener as () => void);
      try {
        process.emit(event as 'exit', code);
      } finally {
        for (const listener of nodes) process.on(event, listener as () => void);
      }
    };
    const exitTo = (code: number) => {
      process.exitCode = code;
      emitOwn('exit', code);
      end();
    };
    const exitWhenIdle = async (ms: number, otherwise: () => void) => {
      if (!(await settled(baseline, ms))) return otherwise();
      // 'beforeExit' may start more work: then the program ends when that is over.
      if (process.listenerCount('beforeExit') > (before.listeners.get('beforeExit')?.length ?? 0)) {
        emitOwn('beforeExit', Number(process.exitCode ?? 0));
        if (!(await settled(baseline, ms))) return otherwise();
      }
      exitTo(Number(process.exitCode ?? 0));
    };
    crash = () => {
      if (!ended) exitTo(1);
    };
    const programExit = process.exit;
    process.exit = ((code?: number | string | null) => {
      if (!ended) exitTo(Number(code ?? process.exitCode ?? 0));
      throw EXITED;
    }) as typeof process.exit;
    // The schedule begins when the entry's own code starts (its imports loaded), as in its own
    // process; at the latest when loading is over, or has taken long: a module the entry imports
    // that waits, at its top level, for a delivery (the entry's own top-level awaits come after its start).
    let begun = false;
    const begin = () => {
      clearTimeout(late);
      if (begun || ended) return;
      begun = true;
      replay!.begin();
    };
    (globalThis as Record<symbol, unknown>)[Symbol.for(ENTERED)] = begin;
    const late: NodeJS.Timeout = realSetTimeout(begin, LOADING_MS);
    // Thrown while loading: the program's uncaught exception, as Node would report it.
    const failed = (error: unknown) => {
      if (error === EXITED || ended) return;
      const emit = process.emit as (event: string, ...args: unknown[]) => boolean;
      emit.call(process, 'uncaughtExceptionMonitor', error, 'uncaughtException');
      if (process.listenerCount('uncaughtException') > 1) emit.call(process, 'uncaughtException', error, 'uncaughtException');
      else crash?.();
    };
    if (kind === 'commonjs') {
      begin();
      try {
        Module._load(entry, null, true);
      } catch (error) {
        failed(error);
      }
    } else {
      import(`${entryUrl}?looptape-run=${runs}`).then(begin, (error: unknown) => {
        begin();
        failed(error);
      });
    }
    await done;
    clearTimeout(late);
    process.exit = programExit;
    crash = undefined;
    if (!(await settled(baseline, 200))) return `the program left work running (${extraResources(baseline).join(', ')})`;
    return undefined;
  }
}

if (process.env.LOOPTAPE_REPLAY_HOST && process.send) {
  delete process.env.LOOPTAPE_REPLAY_HOST;
  if (process.env.NODE_OPTIONS) process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(/--import=\S*replayer\S*host\S*/g, '').trim();
  await serve();
}
