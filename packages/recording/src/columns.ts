/** A growable column of numbers over a typed array: appending allocates only when it doubles. */
export class Column<T extends Int32Array | Float64Array> {
  constructor(private data: T, private readonly make: (n: number) => T, public length = 0) {}

  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** The filled part, as a view (no copy). */
  values(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const makeInts = (n: number) => new Int32Array(n);
const makeFloats = (n: number) => new Float64Array(n);

/** An empty column, or one over `values` (handed over from another thread: no copy). */
export function ints(values?: Int32Array): Column<Int32Array> {
  return values ? new Column(values, makeInts, values.length) : new Column(makeInts(1024), makeInts);
}

export function floats(values?: Float64Array): Column<Float64Array> {
  return values ? new Column(values, makeFloats, values.length) : new Column(makeFloats(1024), makeFloats);
}

/**
 * Row numbers by async id. Async ids are small, dense and increasing, so a growing typed
 * array beats a Map several times over for hundreds of thousands of tasks; ids too large
 * for it (not seen in practice) go to a Map.
 */
export class IdRows {
  private rows = new Int32Array(1 << 16).fill(-1);
  private readonly far = new Map<number, number>();
  private static readonly MAX_DENSE = 1 << 26;

  set(id: number, row: number): void {
    if (id < 0 || id >= IdRows.MAX_DENSE) {
      this.far.set(id, row);
      return;
    }
    if (id >= this.rows.length) {
      let size = this.rows.length;
      while (size <= id) size *= 2;
      const grown = new Int32Array(size).fill(-1);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[id] = row;
  }

  /** The row, or -1. */
  get(id: number): number {
    if (id >= 0 && id < this.rows.length) return this.rows[id];
    return this.far.get(id) ?? -1;
  }
}
