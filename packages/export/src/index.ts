/**
 * @looptape/export owns `looptape export` (HAR, Trace Event JSON, Perfetto) and `looptape view`
 * (the one-file HTML page): views of a recording for other tools.
 */
export { readTimeline, type Timeline } from './timeline.js';
export { Sink } from './sink.js';
export { writeChromeTrace, type TraceEvent } from './chrome-trace.js';
export { writePerfetto } from './perfetto.js';
export { Trace as PerfettoTrace } from './perfetto-schema.js';
export { writeHar } from './har.js';
export { writeView } from './view/page.js';
