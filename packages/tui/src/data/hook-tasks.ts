import { HOOK, type HookChunkView } from '@looptape/recording';
import { IdRows } from './id-rows.js';
import { allocate, link, type TaskColumns } from './task-columns.js';

const { init: INIT, before: BEFORE, after: AFTER, resolve: RESOLVE } = HOOK;

/**
 * The task columns straight from the hook stream (`reader.hookChunks()`), folded the way
 * the recording's tasks summary is: reading a million numeric records is several times
 * faster than reading the summary's rows, and works on a recording without summaries.
 */
export function columnsFromHooks(chunks: Iterable<HookChunkView>, types: ReadonlyMap<number, string>): TaskColumns {
  const cols = { type: [] as number[], id: [] as number[], trigger: [] as number[], exec: [] as number[], scope: [] as number[], initSeq: [] as number[], initT: [] as number[] };
  const firstBefore: number[] = [];
  const lastAfter: number[] = [];
  const lastAfterT: number[] = [];
  const resolve: number[] = [];
  const resolveT: number[] = [];
  const runs: number[] = [];
  const rowOf = new IdRows();
  for (const view of chunks) {
    for (let i = 0; i < view.count; i++) {
      const kind = view.kindIndex(i);
      const task = view.task(i);
      if (kind === INIT) {
        rowOf.set(task, cols.id.length);
        cols.type.push(view.typeCode(i));
        cols.id.push(task);
        cols.trigger.push(view.trigger(i));
        cols.exec.push(view.exec(i));
        cols.scope.push(view.scope(i));
        cols.initSeq.push(view.seq(i));
        cols.initT.push(view.t(i));
        firstBefore.push(-1), lastAfter.push(-1), lastAfterT.push(Number.NaN), resolve.push(-1), resolveT.push(Number.NaN), runs.push(0);
        continue;
      }
      const r = rowOf.get(task);
      if (r < 0) continue;
      if (kind === BEFORE) {
        runs[r]++;
        if (firstBefore[r] < 0) firstBefore[r] = view.seq(i);
      } else if (kind === AFTER) {
        lastAfter[r] = view.seq(i);
        lastAfterT[r] = view.t(i);
      } else if (kind === RESOLVE) {
        resolve[r] = view.seq(i);
        resolveT[r] = view.t(i);
      }
    }
  }
  const c = allocate(cols.id.length);
  const codes = new Map([...new Set(cols.type)].map((code, i) => [code, i]));
  c.typeNames = [...codes.keys()].map((code) => types.get(code) ?? `type#${code}`);
  c.type.set(cols.type.map((code) => codes.get(code)!));
  for (const key of ['id', 'trigger', 'exec', 'scope', 'initSeq', 'initT'] as const) c[key].set(cols[key]);
  c.firstBeforeSeq.set(firstBefore);
  c.lastAfterSeq.set(lastAfter);
  c.lastAfterT.set(lastAfterT);
  c.resolveSeq.set(resolve);
  c.resolveT.set(resolveT);
  c.runs.set(runs);
  return link(c);
}
