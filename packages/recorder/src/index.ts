/**
 * @looptape/recorder owns the preload that records a program: async_hooks, timers, HTTP in and
 * out, raw TCP/TLS clients, files, nondeterminism, redaction, turned into events for
 * `@looptape/recording`'s writer. The installers that do the capturing are the capture layer,
 * `@looptape/recorder/capture` (capture.ts), which replay installs too.
 */
export { startRecording, type RecordOptions, type ActiveRecording } from './recorder.js';
export { defaultRecordingName } from './name.js';
export const REGISTER_ENTRY = new URL('./register.js', import.meta.url).href;
