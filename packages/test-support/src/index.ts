/**
 * @looptape/test-support owns the synthetic recordings the project's own tests and benchmarks
 * build (RecordingBuilder), and the one runner of the `looptape` command the end-to-end tests use
 * (cli.ts, imported by path). No shipped package depends on it.
 */
export { RecordingBuilder, type BuiltTimer } from './recording-builder.js';
