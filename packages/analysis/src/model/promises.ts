import { lastObserved, type AnalysisTasks } from './tasks.js';
import type { Exchange } from './world.js';

const MAX_SCAN = 10_000;

/**
 * Promise facts the floating/orphan detectors share: non-derived promises (async calls,
 * `new Promise`) grouped by the task that created them, and which of them are tracked.
 * Promises made inside a fetch call (Node's undici) are not the program's async calls: Node 24's
 * fetch starts one it never awaits (`mainFetch`), which would otherwise look like the program's.
 */
export class PromiseIndex {
  /** Rows of non-derived promises, by the asyncId of their creator. */
  readonly byCreator = new Map<number, number[]>();
  /** See lastObserved. */
  readonly lastObserved: Int32Array;

  constructor(readonly tasks: AnalysisTasks, outbound: readonly Exchange[] = []) {
    const insideCalls = new Map<number, Array<[number, number]>>();
    for (const x of outbound) if (x.callEnd !== null) insideCalls.set(x.task, [...(insideCalls.get(x.task) ?? []), [x.seq, x.callEnd]]);
    for (let row = 0; row < tasks.count; row++) {
      if (!tasks.isPromise(row) || tasks.isDerived(row)) continue;
      const exec = tasks.exec.get(row);
      const seq = tasks.initSeq.get(row);
      if (insideCalls.get(exec)?.some(([from, to]) => seq > from && seq <= to)) continue;
      const rows = this.byCreator.get(exec);
      if (rows) rows.push(row);
      else this.byCreator.set(exec, [row]);
    }
    this.lastObserved = lastObserved(tasks);
  }

  /**
   * True for the promise of an async callback that Node itself called (a request handler,
   * a `listen` or timer callback): nobody is meant to await those. Told apart as the first
   * promise a non-promise task created in its run.
   */
  isCallbackResult(row: number): boolean {
    const t = this.tasks;
    const creator = t.creator(row);
    if (creator < 0) return true;
    if (t.isPromise(creator)) return false;
    const run = t.initRun.get(row);
    const exec = t.exec.get(row);
    for (let r = row - 1, n = 0; r >= 0 && n < MAX_SCAN && t.initRun.get(r) === run; r--, n++) {
      if (t.exec.get(r) === exec && t.isPromise(r)) return false;
    }
    return true;
  }

  /** Nobody chained from it: no then/catch/finally/await/Promise.all. */
  unobserved(row: number): boolean {
    return this.tasks.observers.get(row) === 0;
  }
}
