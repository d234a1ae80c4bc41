import { LOOPTAPE_VERSION, RecordingWriter, type StreamLook } from '@looptape/recording';
import { installAbortTimeout } from './abort-timeout.js';
import { installSocketTimeouts } from './socket-timeout.js';
import { installTaskHooks } from './hooks.js';
import { installHttpIn } from './http-in.js';
import { installHttpOut, type ExchangeIds } from './http-out.js';
import { installLifecycle, type ProgramEnd } from './lifecycle.js';
import { installNetClients } from './net-client.js';
import { installNondet, recordDraw } from './nondet.js';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, FileContents, redactContent, sha256 } from './files/content.js';
import { shownPath } from './files/ops.js';
import { installFileCapture } from './files/record.js';
import { installConsole } from './output.js';
import { Patches } from './patches.js';
import { Redactor } from './redact.js';
import { Session } from './session.js';
import { installTaskStacks } from './task-stacks.js';
import { installTimers } from './timers.js';
import { installUnsupported, watchHttp2Clients } from './unsupported.js';
import { watchUndiciPackage } from './undici-direct.js';


export interface RecordOptions {
  out: string;
  force?: boolean;
  /** More header names and JSON body fields to redact. */
  redact?: string[];
  /** Record the task tree live (async_hooks; `record --tree`). Default false: a lean recording, whose tree replay derives. */
  promises?: boolean;
  /** Record where each task was created (costly). Default false. */
  stacks?: boolean;
  /** The command line being recorded, for the recording's meta. */
  argv?: string[];
  /** How often buffered events are written, in ms: what a SIGKILL can lose. */
  flushEveryMs?: number;
  /** Capture the file system (default true; benchmarks turn it off to measure its cost). */
  files?: boolean;
  /** File contents kept per recording, in bytes (default 64 MB); past it only hashes are kept. */
  maxFileBytes?: number;
  /** Identifies this recording (meta recordingId), so `looptape record` finalizes only its own file. */
  recordingId?: string;
}

export interface ActiveRecording {
  session: Session;
  /** Writes what is buffered and closes the file (also done at exit). */
  stop(end?: Partial<ProgramEnd>): void;
}

/** The main script's sha256, by its path relative to the working directory. */
function programCode(): Record<string, string> | undefined {
  const main = process.argv[1];
  if (!main || !fs.existsSync(main) || !fs.statSync(main).isFile()) return undefined;
  return { [shownPath(path.resolve(main))]: sha256(fs.readFileSync(main)) };
}

function look(stream: NodeJS.WriteStream): StreamLook {
  const isTTY = Boolean(stream.isTTY);
  return { isTTY, colorDepth: isTTY && typeof stream.getColorDepth === 'function' ? stream.getColorDepth() : 1, columns: stream.columns };
}

/**
 * Starts recording this process into a new file. Call it before the program loads
 * (the register entry does, under `node --import`).
 */
export function startRecording(options: RecordOptions): ActiveRecording {
  // Date.now, not performance.now: on Node 20 performance.now() allocates (process.hrtime()),
  // and the hooks read the clock for every promise. Millisecond resolution is enough for `t`:
  // the order is `seq`.
  const realNow = Date.now;
  const realSetInterval = setInterval;
  const realClearInterval = clearInterval;
  const start = realNow();
  const writer = RecordingWriter.create(options.out, { force: options.force });
  const redactor = new Redactor(options.redact ?? []);
  const promises = options.promises ?? false;
  writer.writeMeta({
    looptapeVersion: LOOPTAPE_VERSION, nodeVersion: process.version, argv: options.argv ?? process.argv.slice(1), cwd: process.cwd(),
    startTime: new Date().toISOString(), startEpochMs: Date.now(), promises, stacks: options.stacks ?? false, redacted: redactor.names,
    recordingId: options.recordingId, code: programCode(), process: { pid: process.pid, ppid: process.ppid },
    terminal: { stdout: look(process.stdout), stderr: look(process.stderr) },
  });
  const realWrite = process.stderr.write.bind(process.stderr);
  const session = new Session({
    sink: {
      write: (events, chunks, types, files) => {
        // Files first: a secret learned from one is then replaced in the events written before it.
        const redacted = files.map((f) => redactContent(redactor, f));
        writer.write(events, chunks, types, redacted);
        // A secret first seen now may stand in events written earlier (printed before it was sent).
        redactor.rewrite((pairs) => writer.rewrite(pairs));
      },
    },
    now: () => realNow() - start,
    transform: (events) => redactor.apply(events),
    onFailure: (error) => {
      // The program runs on, unrecorded; what was written before stays readable (each write is one transaction).
      const why = (error as { code?: string }).code === 'SQLITE_FULL' ? 'the disk is full' : error.message;
      realWrite(`looptape: stopped recording to ${options.out}: ${why}; it holds what was written before, and the program runs on unrecorded\n`);
      patches.restoreAll();
    },
  });
  const patches = new Patches();
  let exchange = 0;
  const ids: ExchangeIds = { next: () => ++exchange };
  let flushTimer: ReturnType<typeof setInterval> | undefined;

  const stop = (end: Partial<ProgramEnd> = {}) => {
    if (session.closed) return;
    realClearInterval(flushTimer);
    session.flush();
    session.closed = true;
    patches.restoreAll();
    if (session.failed) return;
    try {
      writer.close({ exitCode: end.code ?? null, signal: end.signal ?? null, durationMs: session.now() });
    } catch (error) {
      realWrite(`looptape: could not close ${options.out}: ${(error as Error).message}\n`);
    }
  };

  installLifecycle(session, patches, stop);
  installConsole(session, patches);
  installUnsupported(session, patches);
  watchUndiciPackage(session, patches);
  watchHttp2Clients(session, patches);
  installNondet(session, patches, recordDraw);
  installTimers(session, patches);
  installAbortTimeout(session, patches);
  installSocketTimeouts(session, patches);
  installHttpOut(session, patches, ids);
  installHttpIn(session, patches, ids);
  if (options.files ?? true) installFileCapture(session, patches, new FileContents(session, redactor, { maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, warn: (line) => realWrite(`${line}\n`) }));
  installNetClients(session, patches);
  if (promises) {
    installTaskHooks(session, patches);
    if (options.stacks) installTaskStacks(session, patches);
  }
  // Created last, as looptape's own work, so the hooks mark it and never record it.
  flushTimer = session.own(() => realSetInterval(() => session.flush(), options.flushEveryMs ?? 250).unref());
  return { session, stop };
}
