import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Report } from '@looptape/analysis';
import { RecordingError, type RecordingReader } from '@looptape/recording';
import { analyzeRecording } from './findings.js';
import { treeFromHooks, type TaskTree } from './task-tree.js';
import { EventCount } from './event-count.js';

export interface Job<T> {
  result: Promise<T>;
  cancel(): void;
}

type Jobs = { tasks: TaskTree; findings: Report; count: EventCount };

/**
 * Runs a slow read in a worker thread (see worker.ts) when running from the built
 * package; from sources (tests) it runs in this thread, after the current frame.
 */
export function inBackground<K extends keyof Jobs>(reader: RecordingReader, job: K): Job<Jobs[K]> {
  const url = new URL('./worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || !fs.existsSync(url)) return inThisThread(() => inThread(reader, job) as Jobs[K]);
  const worker = new Worker(url, { workerData: { path: reader.path, job } });
  const result = new Promise<Jobs[K]>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; value?: unknown; message?: string; code?: string; hint?: string }) => (m.ok ? resolve(fromWorker(job, m.value) as Jobs[K]) : reject(workerError(m))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ${job} reader stopped (exit ${code})`)));
  });
  return { result, cancel: () => void worker.terminate() };
}

function inThread(reader: RecordingReader, job: keyof Jobs): Jobs[keyof Jobs] {
  if (job === 'tasks') return treeFromHooks(reader.hookChunks(), reader.asyncTypes());
  return job === 'count' ? EventCount.of(reader) : analyzeRecording(reader);
}

/** The error a worker posted: a damaged recording stays a RecordingError (its code and hint with it). */
function workerError(m: { message?: string; code?: string; hint?: string }): Error {
  return m.code === 'DAMAGED' ? new RecordingError('DAMAGED', m.message ?? 'damaged', m.hint) : new Error(m.message);
}

/** A worker posts plain data: the count comes back as its JSON. */
function fromWorker(job: keyof Jobs, value: unknown): unknown {
  return job === 'count' ? EventCount.fromJSON(value as ReturnType<EventCount['toJSON']>) : value;
}

function inThisThread<T>(work: () => T): Job<T> {
  let timer: NodeJS.Timeout | undefined;
  const result = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(work());
      } catch (error) {
        reject(error);
      }
    }, 0);
  });
  return { result, cancel: () => clearTimeout(timer) };
}

/**
 * A job whose result can be handed out now and which starts when told to: the UI is
 * drawn first, then the workers start, so that they do not slow the first frame.
 */
export function startLater<T>(begin: () => Job<T>): Job<T> & { start(): void } {
  let job: Job<T> | undefined;
  let settle: { resolve(value: T): void; reject(error: unknown): void } | undefined;
  const result = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return {
    result,
    start() {
      job ??= begin();
      job.result.then(settle!.resolve, settle!.reject);
    },
    cancel: () => job?.cancel(),
  };
}
