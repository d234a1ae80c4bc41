/** A growable column of numbers over a typed array: appending allocates only when it doubles. */
export class Column<T extends Int32Array | Float64Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(Math.max(16, capacity));
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
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
}

export const ints = (capacity?: number) => new Column((n) => new Int32Array(n), capacity);
export const floats = (capacity?: number) => new Column((n) => new Float64Array(n), capacity);
