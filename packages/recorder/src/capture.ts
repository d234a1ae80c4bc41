/**
 * The capture layer: what turns the program's calls into events, shared by recording and replay.
 * The recorder installs all of it on the real world; the replayer installs the same installers
 * on top of its virtual one (virtual clock, timers, sockets, answers), so both write the same
 * events the same way. Every installer is `install(session, patches, ...its own options)`: it
 * writes into `session` and leaves how to undo each patch in `patches`.
 *
 * `@looptape/recorder/capture` is this file; the package's main entry is only `startRecording`
 * and what the CLI needs.
 */
export { Session, currentScope, type EventSink } from './session.js';
export { Patches, type Restore } from './patches.js';
export { installTaskHooks } from './hooks.js';
export { installTaskStacks } from './task-stacks.js';
export { installHttpIn } from './http-in.js';
export { installHttpOut } from './http-out.js';
export { installConsole } from './output.js';
export { installLifecycle, type ProgramEnd } from './lifecycle.js';
export { installNondet, decodeNondet, type Draw } from './nondet.js';
export { installUnsupported } from './unsupported.js';
export { installNetClients, openedByHttpClient, targetOf, toOwnServer } from './net-client.js';
export { installAbortTimeout } from './abort-timeout.js';
export { installSocketTimeouts } from './socket-timeout.js';
export { installTimers, counter, type TimerClock, type TimerSet } from './timers.js';
export { Redactor, DEFAULT_REDACTED } from './redact.js';
export { internalValue } from './node-symbols.js';
export { fromFetchHeaders } from './headers.js';
export { patchFileOps, patchStreamOpeners, type FileCall } from './files/ops.js';
export { fileEvent, type FileOutcome, type StatValue } from './files/events.js';
export { present, installFileCapture } from './files/record.js';
export { sha256, FileContents } from './files/content.js';
export { EXCHANGE } from './http-client.js';
