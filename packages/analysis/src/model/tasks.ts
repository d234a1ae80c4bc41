import type { RecordingReader } from '@looptape/recording';
import { floats, ints } from './columns.js';
import { visitHooks, type HookVisitor } from './hook-source.js';

/**
 * The task tree as columns, one row per `task.init` in init order, built in one pass over
 * the hook stream: a recording's million promise records cost no object each.
 * Besides what the `tasks` summary holds, it keeps what the detectors need:
 * who was running when a promise resolved (`resolver`), how many promises chain from
 * each promise (`observers`), and the top-level run each task was created in.
 */
export class TaskTable {
  readonly ids = ints();
  readonly typeCode = ints();
  readonly trigger = ints();
  readonly exec = ints();
  /** 0 = no request scope. */
  readonly scope = ints();
  readonly initSeq = ints();
  readonly initT = floats();
  /** The top-level callback run (see runEnd) that was going on when the task was created. */
  readonly initRun = ints();
  /** 0 = never ran. */
  readonly lastAfterSeq = ints();
  readonly lastAfterT = floats();
  /** 0 = never resolved. */
  readonly resolveSeq = ints();
  readonly resolveT = floats();
  /** asyncId of the task whose callback was running when this promise resolved (0: none). */
  readonly resolver = ints();
  readonly runs = ints();
  /** Promises derived from this one (then/catch/finally/await/Promise.all): someone observes it. */
  readonly observers = ints();
  /** Seq at which each top-level run ended; run 0 is the program's first synchronous run. */
  readonly runEnd = ints();
  /** Each top-level run's first seq, its start and end times, and the task whose callback it was (0: run 0). */
  readonly runStart = ints();
  readonly runStartT = floats();
  readonly runEndT = floats();
  readonly runTask = ints();
  readonly types: string[] = [];
  private readonly typeIds = new Map<string, number>();
  private readonly rows = new Map<number, number>();
  lastSeq = 0;
  lastT = 0;

  get count(): number {
    return this.ids.length;
  }

  /** The row of asyncId `id`, or -1 when its init was not recorded. */
  row(id: number): number {
    return this.rows.get(id) ?? -1;
  }

  type(row: number): string {
    return this.types[this.typeCode.get(row)];
  }

  isPromise(row: number): boolean {
    return this.types[this.typeCode.get(row)] === 'PROMISE';
  }

  /** A promise made by then/await from another promise, rather than by `new Promise` or an async call. */
  isDerived(row: number): boolean {
    return this.trigger.get(row) !== this.exec.get(row);
  }

  /** The row of the task that created this one (its execution context at init), or -1. */
  creator(row: number): number {
    const exec = this.exec.get(row);
    return exec === this.ids.get(row) ? -1 : this.row(exec);
  }

  addInit(id: number, type: string, trigger: number, exec: number, scope: number, seq: number, t: number, run: number): void {
    let code = this.typeIds.get(type);
    if (code === undefined) {
      code = this.types.push(type) - 1;
      this.typeIds.set(type, code);
    }
    this.rows.set(id, this.ids.push(id));
    this.typeCode.push(code);
    this.trigger.push(trigger);
    this.exec.push(exec);
    this.scope.push(scope);
    this.initSeq.push(seq);
    this.initT.push(t);
    this.initRun.push(run);
    this.lastAfterSeq.push(0);
    this.lastAfterT.push(0);
    this.resolveSeq.push(0);
    this.resolveT.push(0);
    this.resolver.push(0);
    this.runs.push(0);
    this.observers.push(0);
    if (type === 'PROMISE' && trigger !== exec) {
      const parent = this.rows.get(trigger);
      if (parent !== undefined) this.observers.set(parent, this.observers.get(parent) + 1);
    }
  }
}

/** Reads a recording's hook stream into a TaskTable (null when it has none: `--no-promises`). */
export function readTaskTable(reader: RecordingReader): TaskTable | null {
  const table = new TaskTable();
  const builder = new TableBuilder(table);
  visitHooks(reader, builder);
  builder.finish();
  return table.count === 0 ? null : table;
}

/** Folds the hooks into the table, keeping the stack of callbacks running (`before` pushes, `after` pops). */
class TableBuilder implements HookVisitor {
  private readonly running: number[] = [];
  private run: number;

  constructor(private readonly table: TaskTable) {
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

  init(seq: number, t: number, task: number, type: string, trigger: number, exec: number, scope: number): void {
    this.seen(seq, t);
    this.table.addInit(task, type, trigger, exec, scope, seq, t, this.run);
  }

  before(seq: number, t: number, task: number): void {
    const table = this.table;
    this.seen(seq, t);
    if (this.running.length === 0) {
      if (table.runEnd.get(this.run) === 0) table.runEnd.set(this.run, seq - 1);
      this.run = this.startRun(seq, t, task);
    }
    this.running.push(task);
    const row = table.row(task);
    if (row >= 0) table.runs.set(row, table.runs.get(row) + 1);
  }

  after(seq: number, t: number, task: number): void {
    const table = this.table;
    this.seen(seq, t);
    // An uncaught error can skip an `after`: unwind to the matching `before`.
    const at = this.running.lastIndexOf(task);
    if (at >= 0) this.running.length = at;
    if (this.running.length === 0) {
      table.runEnd.set(this.run, seq);
      table.runEndT.set(this.run, t);
    }
    const row = table.row(task);
    if (row >= 0) {
      table.lastAfterSeq.set(row, seq);
      table.lastAfterT.set(row, t);
    }
  }

  resolve(seq: number, t: number, task: number): void {
    const table = this.table;
    this.seen(seq, t);
    const row = table.row(task);
    if (row < 0 || table.resolveSeq.get(row) !== 0) return;
    table.resolveSeq.set(row, seq);
    table.resolveT.set(row, t);
    table.resolver.set(row, this.running.length ? this.running[this.running.length - 1] : 0);
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
export function lastObserved(table: TaskTable): Int32Array {
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
