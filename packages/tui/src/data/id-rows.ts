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
