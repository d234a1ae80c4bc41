/**
 * @looptape/test-support owns the synthetic recordings the project's own tests and benchmarks
 * build (RecordingBuilder). No shipped package depends on it.
 */
export { RecordingBuilder, type BuiltTimer } from './recording-builder.js';
