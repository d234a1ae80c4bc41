import { TaskTable, floats, foldHooks, ints, type RecordingReader, type TaskFoldExtension } from '@looptape/recording';

/**
 * The recording's task table (`@looptape/recording`) with what the detectors add to it,
 * folded in the same pass over the hook stream: who was running when a promise resolved
 * (`resolver`), how many promises chain from each promise (`observers`), and the top-level
 * run each task was created in.
 */
export class AnalysisTasks extends TaskTable {
  /** The top-level callback run (see runEnd) that was going on when the task was created. */
  readonly initRun = ints();
  /** asyncId of the task whose callback was running when this promise resolved (0: none). */
  readonly resolver = ints();
  /** Promises derived from this one (then/catch/finally/await/Promise.all): someone observes it. */
  readonly observers = ints();
  /** Seq at which each top-level run ended; run 0 is the program's first synchronous run. */
  readonly runEnd = ints();
  /** Each top-level run's first seq, its start and end times, and the task whose callback it was (0: run 0). */
  readonly runStart = ints();
  readonly runStartT = floats();
  readonly runEndT = floats();
  readonly runTask = ints();
  lastSeq = 0;
  lastT = 0;

  /** A promise made by then/await from another promise, rather than by `new Promise` or an async call. */
  isDerived(row: number): boolean {
    return this.trigger.get(row) !== this.exec.get(row);
  }

  /** The row of the task that created this one (its execution context at init), or -1. */
  creator(row: number): number {
    const exec = this.exec.get(row);
    return exec === this.ids.get(row) ? -1 : this.row(exec);
  }
}

/** Reads a recording's hook stream into the analysis' task table (null when it has none: a lean recording whose tree could not be derived). */
export function readTaskTable(reader: RecordingReader): AnalysisTasks | null {
  const table = new AnalysisTasks();
  const runs = new RunTracker(table);
  foldHooks(reader.hookChunks(), reader.asyncTypes(), runs, table);
  runs.finish();
  return table.count === 0 ? null : table;
}

/** Folds the analysis' columns, keeping the stack of callbacks running (`before` pushes, `after` pops). */
class RunTracker implements TaskFoldExtension {
  private readonly running: number[] = [];
  private run: number;

  constructor(private readonly table: AnalysisTasks) {
    this.run = this.startRun(0, 0, 0);
  }

  private startRun(seq: number, t: number, task: number): number {
    const table = this.table;
    table.runStart.push(seq);
    table.runStartT.push(t);
    table.runEndT.push(t);
    table.runTask.push(task);
    return table.runEnd.push(0);
  }

  init(row: number, seq: number, t: number): void {
    const table = this.table;
    this.seen(seq, t);
    table.initRun.push(this.run);
    table.resolver.push(0);
    table.observers.push(0);
    if (table.isPromise(row) && table.isDerived(row)) {
      const parent = table.row(table.trigger.get(row));
      if (parent >= 0) table.observers.set(parent, table.observers.get(parent) + 1);
    }
  }

  before(_row: number, task: number, seq: number, t: number): void {
    const table = this.table;
    this.seen(seq, t);
    if (this.running.length === 0) {
      if (table.runEnd.get(this.run) === 0) table.runEnd.set(this.run, seq - 1);
      this.run = this.startRun(seq, t, task);
    }
    this.running.push(task);
  }

  after(_row: number, task: number, seq: number, t: number): void {
    const table = this.table;
    this.seen(seq, t);
    // An uncaught error can skip an `after`: unwind to the matching `before`.
    const at = this.running.lastIndexOf(task);
    if (at >= 0) this.running.length = at;
    if (this.running.length === 0) {
      table.runEnd.set(this.run, seq);
      table.runEndT.set(this.run, t);
    }
  }

  resolve(row: number, _task: number, seq: number, t: number): void {
    this.seen(seq, t);
    if (row >= 0) this.table.resolver.set(row, this.running.length ? this.running[this.running.length - 1] : 0);
  }

  finish(): void {
    if (this.table.runEnd.get(this.run) === 0) this.table.runEnd.set(this.run, this.table.lastSeq);
  }

  private seen(seq: number, t: number): void {
    this.table.lastSeq = seq;
    this.table.lastT = t;
  }
}

/**
 * For each promise: the last seq at which someone started awaiting it or a promise chained
 * from it (then/catch/finally/await/Promise.all); MAX when that was code of another request
 * scope. Work that shutdown code awaits (`Promise.all(running)`) is observed late like this;
 * a chain that ends in a terminal `.catch()` inside the request is not. Children are created
 * after their parents, so one pass from the last row up is enough.
 */
export function lastObserved(table: AnalysisTasks): Int32Array {
  const out = new Int32Array(table.count);
  for (let row = table.count - 1; row >= 0; row--) {
    if (!table.isPromise(row) || !table.isDerived(row)) continue;
    const parent = table.row(table.trigger.get(row));
    if (parent < 0) continue;
    const seen = table.scope.get(row) !== table.scope.get(parent) ? 0x7fffffff : Math.max(out[row], table.initSeq.get(row));
    if (seen > out[parent]) out[parent] = seen;
  }
  return out;
}
