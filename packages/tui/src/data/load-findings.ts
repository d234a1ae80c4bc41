import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Report } from '@looptape/analysis';
import type { RecordingReader } from '@looptape/recording';
import { analyzeRecording } from './findings.js';

export interface FindingsJob {
  report: Promise<Report>;
  cancel(): void;
}

/**
 * Analyses the recording in a worker thread when running from the built package, in
 * this thread (after the current frame) otherwise. Analysis errors become a rejection.
 */
export function loadFindings(reader: RecordingReader): FindingsJob {
  const url = new URL('./findings-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js') || !fs.existsSync(url)) return inThisThread(reader);
  const worker = new Worker(url, { workerData: { path: reader.path } });
  const report = new Promise<Report>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; report?: Report; message?: string }) => (m.ok ? resolve(m.report!) : reject(new Error(m.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the analysis stopped (exit ${code})`)));
  });
  return { report, cancel: () => void worker.terminate() };
}

function inThisThread(reader: RecordingReader): FindingsJob {
  let timer: NodeJS.Timeout | undefined;
  const report = new Promise<Report>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(analyzeRecording(reader));
      } catch (error) {
        reject(error);
      }
    }, 0);
  });
  return { report, cancel: () => clearTimeout(timer) };
}
