import { foldHooks, linkTasks, tableBuffers, tableFromSummaries, type HookChunkView, type TaskLinks, type TaskSummary, type TaskTable, type TaskTableData } from '@looptape/recording';

/**
 * The recording's task table with its tree worked out (`@looptape/recording`'s parent
 * rule), as typed arrays: built off the UI thread (a recording of a million events has
 * hundreds of thousands of tasks) and handed over without copying or rebuilding.
 */
export interface TaskTree {
  table: TaskTableData;
  links: TaskLinks;
}

export function treeOf(table: TaskTable): TaskTree {
  return { table: table.data(), links: linkTasks(table) };
}

/** Straight from the hook stream (`reader.hookChunks()`): works on a recording without summaries. */
export function treeFromHooks(chunks: Iterable<HookChunkView>, types: ReadonlyMap<number, string>): TaskTree {
  return treeOf(foldHooks(chunks, types));
}

/** From the stored task summaries (`reader.tasks()`). */
export function treeFromSummaries(tasks: readonly TaskSummary[]): TaskTree {
  return treeOf(tableFromSummaries(tasks));
}

/** The buffers to transfer (not copy) to another thread. */
export function transferables(tree: TaskTree): ArrayBuffer[] {
  return [...tableBuffers(tree.table), ...Object.values(tree.links).map((v: Int32Array) => v.buffer as ArrayBuffer)];
}
