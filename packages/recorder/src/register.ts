/**
 * The preload: `node --import <this file> app.js` records app.js.
 * `looptape record` sets LOOPTAPE_RECORD (JSON options) and NODE_OPTIONS for you; started by
 * hand, the recording goes to LOOPTAPE_OUT (default: recordings/<program>-<time>.tape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RecordingError, formatError } from '@looptape/recording';
import { commandLine } from './command-line.js';
import { defaultRecordingName } from './name.js';
import { startRecording, type RecordOptions } from './recorder.js';

function options(): RecordOptions {
  const raw = process.env.LOOPTAPE_RECORD;
  if (raw) return JSON.parse(raw) as RecordOptions;
  const out = process.env.LOOPTAPE_OUT ?? defaultRecordingName(['node', ...process.argv.slice(1)]);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  return { out, argv: commandLine(), redact: process.env.LOOPTAPE_REDACT?.split(',').filter(Boolean) };
}

/** Child processes of the program are not recorded: take looptape out of what they inherit. */
function forgetForChildren(): void {
  delete process.env.LOOPTAPE_RECORD;
  delete process.env.LOOPTAPE_OUT;
  const nodeOptions = process.env.NODE_OPTIONS;
  if (nodeOptions) process.env.NODE_OPTIONS = nodeOptions.replace(/--import[= ]("[^"]*looptape[^"]*"|\S*recorder\S*register\S*)/g, '').trim();
}

try {
  const recordOptions = options();
  forgetForChildren();
  startRecording(recordOptions);
} catch (error) {
  const message = error instanceof RecordingError ? formatError(error) : (error as Error).message;
  // The program still runs, unrecorded: the recorder never stops a program from running.
  process.stderr.write(`looptape: not recording: ${message}\n`);
}
