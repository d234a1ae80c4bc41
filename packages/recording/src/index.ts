/**
 * @looptape/recording owns the recording file and its one model of what it holds: the event
 * union, the SQLite schema and its migrations, the writer and the reader, the hook stream, and
 * the task table (the one fold of the hook stream, its parent rule and a task's name) that
 * every other package reads.
 */
export * from './events.js';
export * from './errors.js';
export * from './body.js';
export * from './meta.js';
export { APPLICATION_ID, FORMAT_VERSION, MIN_READER_VERSION } from './schema.js';
export { HookBuffer, HookChunkView, HOOK, HOOK_RECORD_BYTES, type HookRecord } from './hook-stream.js';
export { RecordingWriter, type RecordingWriterOptions, type HookChunk, type FileContent } from './writer.js';
export { RecordingReader, type EventFilter } from './reader.js';
export { storeDerivedTree } from './derived.js';
export { verifyRecording, type VerifyReport } from './verify.js';
export { upgradeRecording } from './upgrade.js';
export { finalizeRecording, recoverInterrupted } from './finalize.js';
export type { TaskSummary, ScopeSummary } from './summary.js';
export { clipText, describeEvent, formatBytes, siteOf } from './describe.js';
export { LOOPTAPE_VERSION } from './version.js';
export { describeChunk, describeBytes, sniffProtocol, guessProtocol, questionLabel, statementKey, parseResp, respSecretArgs, RespError, splitPg, redactSentChunk, type RespValue, type Placeholder } from './protocols/index.js';
export { Column, IdRows, ints, floats } from './columns.js';
export { TaskTable, foldHooks, tableFromSummaries, taskSummaryAt, tableBuffers, type TaskTableData, type TaskFoldExtension } from './task-table.js';
export { parentRow, ancestry, linkTasks, taskName, type TaskLinks, type TimerName } from './task-tree.js';
