/**
 * Runs the analyser off the UI thread: on a large recording it reads every event,
 * and the first frame and the keys should not wait for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordingReader } from '@looptape/recording';
import { analyzeRecording } from './findings.js';

const reader = RecordingReader.open((workerData as { path: string }).path);
try {
  parentPort!.postMessage({ ok: true, report: analyzeRecording(reader) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
} finally {
  reader.close();
}
