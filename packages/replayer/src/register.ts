/**
 * The replay preload: `looptape replay` starts the program with this under `node --import`
 * and LOOPTAPE_REPLAY (JSON ReplayOptions) in its environment.
 */
import fs from 'node:fs';
import { RecordingError, formatError } from '@looptape/recording';
import { ReplayError } from './errors.js';
import { startReplay, type ReplayOptions } from './world.js';

const raw = process.env.LOOPTAPE_REPLAY;
delete process.env.LOOPTAPE_REPLAY;
if (process.env.NODE_OPTIONS) process.env.NODE_OPTIONS = process.env.NODE_OPTIONS.replace(/--import=\S*replayer\S*register\S*/g, '').trim();
if (raw) {
  // `@FILE`: the options are in a file (a guided order can be larger than an environment allows).
  const options = JSON.parse(raw.startsWith('@') ? fs.readFileSync(raw.slice(1), 'utf8') : raw) as ReplayOptions;
  try {
    startReplay(options);
  } catch (error) {
    if (!(error instanceof ReplayError || error instanceof RecordingError)) throw error;
    fs.writeFileSync(options.resultFile, JSON.stringify({ ok: false, refused: formatError(error) }));
    process.exit(2);
  }
}
