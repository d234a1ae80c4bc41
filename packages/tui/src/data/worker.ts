/**
 * The slow reads, off the UI thread: the task summaries (hundreds of thousands of rows
 * in a large recording) and the analysis (which reads every event). The first frame
 * and the keys do not wait for either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordingReader } from '@looptape/recording';
import { analyzeRecording } from './findings.js';
import { transferables, treeFromHooks } from './task-tree.js';

const { path, job } = workerData as { path: string; job: 'tasks' | 'findings' };
// The task tree: a lean recording's derived one (the command derived it before starting).
const reader = RecordingReader.open(path, { tree: true });
try {
  if (job === 'tasks') {
    const tree = treeFromHooks(reader.hookChunks(), reader.asyncTypes());
    parentPort!.postMessage({ ok: true, value: tree }, transferables(tree));
  } else {
    parentPort!.postMessage({ ok: true, value: analyzeRecording(reader) });
  }
} catch (error) {
  parentPort!.postMessage({ ok: false, message: (error as Error).message });
} finally {
  reader.close();
}
