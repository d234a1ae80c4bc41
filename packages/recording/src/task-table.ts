import { Column, IdRows, floats, ints } from './columns.js';
import { HOOK } from './hook-stream.js';
import type { HookChunkView } from './hook-stream.js';
import type { TaskSummary } from './summary.js';

/**
 * Every async task of a recording as columns, one row per `task.init` in init order: a
 * million promise records cost no object each. The one model of a task: the summary the
 * recording stores, the analysis and the TUI's tree all read it.
 *
 * "Absent" is 0 everywhere: a scope of 0 is no request scope, a seq of 0 is "never" (seqs
 * start at 1), and a time column (lastAfterT, resolveT) means something only when its seq
 * column is not 0.
 */
export class TaskTable {
  readonly ids = ints();
  /** Index into `types`. */
  readonly typeCode = ints();
  /** triggerAsyncId: for a promise, the promise it chains from. */
  readonly trigger = ints();
  /** executionAsyncId at init: who created it. */
  readonly exec = ints();
  /** The inbound request's exchange it was created for, 0 for none. */
  readonly scope = ints();
  readonly initSeq = ints();
  readonly initT = floats();
  readonly firstBeforeSeq = ints();
  readonly lastAfterSeq = ints();
  readonly lastAfterT = floats();
  /** The last resolve: when the promise settled (one resolved with a thenable resolves twice). */
  readonly resolveSeq = ints();
  readonly resolveT = floats();
  /** How many times its callback ran (before hooks). */
  readonly runs = ints();
  readonly types: string[] = [];
  private readonly typeIds = new Map<string, number>();
  private readonly rows = new IdRows();

  /** Empty, or over the columns of `data` (handed over from another thread: no copy). */
  constructor(data?: TaskTableData) {
    if (!data) return;
    const columns = this as unknown as Record<ColumnName, Column<Int32Array | Float64Array>>;
    for (const name of COLUMN_NAMES) {
      const values = data.columns[name];
      columns[name] = values instanceof Float64Array ? floats(values) : ints(values);
    }
    this.types.push(...data.types);
    this.types.forEach((type, code) => this.typeIds.set(type, code));
    for (let r = 0; r < this.ids.length; r++) this.rows.set(this.ids.get(r), r);
  }

  get count(): number {
    return this.ids.length;
  }

  /** The row of asyncId `id`, or -1 when its init was not recorded. */
  row(id: number): number {
    return this.rows.get(id);
  }

  type(row: number): string {
    return this.types[this.typeCode.get(row)];
  }

  isPromise(row: number): boolean {
    return this.type(row) === 'PROMISE';
  }

  /** Adds a task at its init; returns its row. */
  addInit(id: number, type: string, trigger: number, exec: number, scope: number, seq: number, t: number): number {
    let code = this.typeIds.get(type);
    if (code === undefined) {
      code = this.types.push(type) - 1;
      this.typeIds.set(type, code);
    }
    const row = this.ids.push(id);
    this.rows.set(id, row);
    this.typeCode.push(code);
    this.trigger.push(trigger);
    this.exec.push(exec);
    this.scope.push(scope);
    this.initSeq.push(seq);
    this.initT.push(t);
    for (const column of [this.firstBeforeSeq, this.lastAfterSeq, this.lastAfterT, this.resolveSeq, this.resolveT, this.runs]) column.push(0);
    return row;
  }

  /** The columns as typed arrays, to hand to another thread (transfer `buffers()`) and rebuild with `new TaskTable(data)`. */
  data(): TaskTableData {
    const columns = {} as TaskTableData['columns'];
    for (const name of COLUMN_NAMES) (columns as Record<string, Int32Array | Float64Array>)[name] = this[name].values();
    return { types: this.types, columns };
  }
}

const COLUMN_NAMES = ['ids', 'typeCode', 'trigger', 'exec', 'scope', 'initSeq', 'initT', 'firstBeforeSeq', 'lastAfterSeq', 'lastAfterT', 'resolveSeq', 'resolveT', 'runs'] as const;
type ColumnName = (typeof COLUMN_NAMES)[number];

/** A TaskTable as plain data (structured-cloneable; its buffers transferable). */
export interface TaskTableData {
  types: string[];
  columns: { [K in ColumnName]: TaskTable[K] extends Column<infer T> ? T : never };
}

/** The buffers of a table's data, to transfer (not copy) to another thread. */
export function tableBuffers(data: TaskTableData): ArrayBuffer[] {
  return [...new Set(Object.values(data.columns).map((v) => v.buffer as ArrayBuffer))];
}

/**
 * What a reader adds to the fold (the analysis: who resolved a promise, which callback run
 * created a task): called for every hook after the table's own columns are updated, with
 * the task's row (-1 when its init was not recorded).
 */
export interface TaskFoldExtension {
  init?(row: number, seq: number, t: number): void;
  before?(row: number, task: number, seq: number, t: number): void;
  after?(row: number, task: number, seq: number, t: number): void;
  resolve?(row: number, task: number, seq: number, t: number): void;
  destroy?(row: number, task: number, seq: number, t: number): void;
}

/**
 * The one fold of the hook stream (docs/recording-format.md, "hook_chunks") into a task
 * table, decoded straight from the chunks' typed arrays. `types` names the type codes
 * (`reader.asyncTypes()`); `into` is an empty table, of a subclass that adds columns.
 */
export function foldHooks<T extends TaskTable = TaskTable>(chunks: Iterable<HookChunkView>, types: ReadonlyMap<number, string>, extension: TaskFoldExtension = {}, into?: T): T {
  const table = into ?? (new TaskTable() as T);
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.count; i++) foldOne(table, types, chunk, i, extension);
  }
  return table;
}

function foldOne(table: TaskTable, types: ReadonlyMap<number, string>, chunk: HookChunkView, i: number, ext: TaskFoldExtension): void {
  const seq = chunk.seq(i);
  const t = chunk.t(i);
  const task = chunk.task(i);
  const kind = chunk.kindIndex(i);
  if (kind === HOOK.init) {
    const code = chunk.typeCode(i);
    const row = table.addInit(task, types.get(code) ?? `type#${code}`, chunk.trigger(i), chunk.exec(i), chunk.scope(i), seq, t);
    ext.init?.(row, seq, t);
    return;
  }
  const row = table.row(task);
  if (kind === HOOK.before) {
    if (row >= 0) {
      table.runs.set(row, table.runs.get(row) + 1);
      if (table.firstBeforeSeq.get(row) === 0) table.firstBeforeSeq.set(row, seq);
    }
    ext.before?.(row, task, seq, t);
  } else if (kind === HOOK.after) {
    if (row >= 0) {
      table.lastAfterSeq.set(row, seq);
      table.lastAfterT.set(row, t);
    }
    ext.after?.(row, task, seq, t);
  } else if (kind === HOOK.resolve) {
    if (row >= 0) {
      table.resolveSeq.set(row, seq);
      table.resolveT.set(row, t);
    }
    ext.resolve?.(row, task, seq, t);
  } else if (kind === HOOK.destroy) {
    ext.destroy?.(row, task, seq, t);
  }
}

/** A task's row as the recording's `tasks` summary stores it (absent as null, as SQL has it). */
export function taskSummaryAt(table: TaskTable, row: number): TaskSummary {
  const seq = (column: Column<Int32Array>) => column.get(row) || null;
  const time = (seqs: Column<Int32Array>, times: Column<Float64Array>) => (seqs.get(row) ? times.get(row) : null);
  return {
    id: table.ids.get(row), type: table.type(row), trigger: table.trigger.get(row), exec: table.exec.get(row),
    scope: table.scope.get(row) || null, initSeq: table.initSeq.get(row), initT: table.initT.get(row),
    firstBeforeSeq: seq(table.firstBeforeSeq), lastAfterSeq: seq(table.lastAfterSeq), lastAfterT: time(table.lastAfterSeq, table.lastAfterT),
    resolveSeq: seq(table.resolveSeq), resolveT: time(table.resolveSeq, table.resolveT), runs: table.runs.get(row),
  };
}

/** A table from stored task summaries (`reader.tasks()`), in init order. */
export function tableFromSummaries(tasks: readonly TaskSummary[]): TaskTable {
  const table = new TaskTable();
  for (const k of [...tasks].sort((a, b) => a.initSeq - b.initSeq)) {
    const row = table.addInit(k.id, k.type, k.trigger, k.exec, k.scope ?? 0, k.initSeq, k.initT);
    table.firstBeforeSeq.set(row, k.firstBeforeSeq ?? 0);
    table.lastAfterSeq.set(row, k.lastAfterSeq ?? 0);
    table.lastAfterT.set(row, k.lastAfterT ?? 0);
    table.resolveSeq.set(row, k.resolveSeq ?? 0);
    table.resolveT.set(row, k.resolveT ?? 0);
    table.runs.set(row, k.runs);
  }
  return table;
}
