/**
 * @looptape/recorder owns the preload that records a program: async_hooks, timers, HTTP in and
 * out, raw TCP/TLS clients, files, nondeterminism, redaction, turned into events for
 * `@looptape/recording`'s writer.
 */
export { startRecording, type RecordOptions, type ActiveRecording } from './recorder.js';
export { defaultRecordingName } from './name.js';
export { Session, currentScope, enterScope, type EventSink, type SessionOptions } from './session.js';
export { Patches, type Restore } from './patches.js';
export { installTaskHooks } from './hooks.js';
export { installHttpIn } from './http-in.js';
export { installConsole } from './output.js';
export { installLifecycle, type ProgramEnd } from './lifecycle.js';
export { installNondet, encodeNondet, decodeNondet, recordDraw, type Draw, type NondetNative } from './nondet.js';
export { installUnsupported } from './unsupported.js';
export { installNetClients, openedByHttpClient, targetOf, toOwnServer, type NetTarget } from './net-client.js';
export { Redactor, DEFAULT_REDACTED } from './redact.js';
export { callerInfo, isOwnFile } from './stack.js';
export { installAbortTimeout } from './abort-timeout.js';
export { installSocketTimeouts } from './socket-timeout.js';
export { installTimers, resourceId, normalizeDelay, counter } from './timers.js';
export { internalValue } from './node-symbols.js';
export { installHttpOut } from './http-out.js';
export type { ExchangeIds } from './http-out.js';
export { fromRawHeaders, fromFetchHeaders, fromHeaderBlock } from './headers.js';
export const REGISTER_ENTRY = new URL('./register.js', import.meta.url).href;
export { FILE_OPS, patchFileOps, programCall, streamWriteCall, bytesOf, type FileCall, type FileOp, type Variant } from './files/ops.js';
export { fileEvent, errorCode, statValue, listingValue, type FileOutcome, type FileSlot, type StatValue } from './files/events.js';
export { present, installFileCapture } from './files/record.js';
export { sha256, isSecretFile, DEFAULT_MAX_FILE_BYTES, FileContents } from './files/content.js';
