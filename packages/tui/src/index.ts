// The public surface is runInspect alone: Ink and React load only when it runs, so the
// other looptape commands do not pay for them.
export { runInspect, type InspectOptions } from './run.js';
