/**
 * @looptape/tui owns `looptape inspect`: the Ink application over a read-only view of a
 * recording (keys, pure updates, views). It never opens SQLite or patches anything itself.
 */
// The public surface is runInspect alone: Ink and React load only when it runs, so the
// other looptape commands do not pay for them.
export { runInspect, type InspectOptions } from './run.js';
