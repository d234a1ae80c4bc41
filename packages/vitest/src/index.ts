/**
 * @looptape/vitest owns the vitest helper that turns recordings into regression tests.
 */
import { registerMatchers } from './matchers.js';

export { replayRecording, type ReplayRecordingOptions } from './replay.js';
export { VERDICT, type Verdict, type ReplayedRun } from './verdict.js';
export { registerMatchers, type LooptapeMatchers } from './matchers.js';
export { VitestHelperError, type VitestHelperErrorCode } from './errors.js';

registerMatchers();
