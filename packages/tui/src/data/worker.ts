/**
 * The slow reads, off the UI thread: the task summaries (hundreds of thousands of rows
 * in a large recording), the event count and the analysis (which read every event). The first frame
 * and the keys do not wait for either.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordingReader } from '@looptape/recording';
import { EventCount } from './event-count.js';
import { analyzeRecording } from './findings.js';
import { transferables, treeFromHooks } from './task-tree.js';

const { path, job } = workerData as { path: string; job: 'tasks' | 'findings' | 'count' };
// The task tree: a lean recording's derived one (the command derived it before starting).
const reader = RecordingReader.open(path, { tree: true });
try {
  if (job === 'tasks') {
    const tree = treeFromHooks(reader.hookChunks(), reader.asyncTypes());
    parentPort!.postMessage({ ok: true, value: tree }, transferables(tree));
  } else if (job === 'count') {
    parentPort!.postMessage({ ok: true, value: EventCount.of(reader).toJSON() });
  } else {
    parentPort!.postMessage({ ok: true, value: analyzeRecording(reader) });
  }
} catch (error) {
  // A damaged recording is the user's to know (the CLI's one line and exit 2): its code and hint go along.
  const { message, code, hint } = error as Error & { code?: string; hint?: string };
  parentPort!.postMessage({ ok: false, message, code, hint });
} finally {
  reader.close();
}
