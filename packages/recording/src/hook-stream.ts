import { HOOK_KINDS, type HookKind } from './events.js';

/**
 * The task-tree hooks fire for every promise, so they are stored as fixed-size
 * numeric records in BLOB chunks instead of rows (about 20x cheaper to write).
 *
 * Layout of one record (32 bytes, little-endian as the host):
 *   f64 t | i32 seq | i32 kind + type<<3 | i32 asyncId | i32 trigger | i32 exec | i32 scope (0 = none)
 */
export const HOOK_RECORD_BYTES = 32;

/** The kind index stored in a hook record (HOOK_KINDS order). */
export const HOOK = { init: 0, before: 1, after: 2, resolve: 3, destroy: 4 } as const;
const INTS_PER_RECORD = HOOK_RECORD_BYTES / 4;

export interface HookRecord {
  seq: number;
  t: number;
  kind: HookKind;
  /** Index into the recording's async type names (task.init only). */
  typeCode: number;
  task: number;
  trigger: number;
  exec: number;
  scope: number;
}

/** A growable append-only buffer of hook records. Appending allocates nothing. */
export class HookBuffer {
  private floats: Float64Array;
  private ints: Int32Array;
  length = 0;

  constructor(readonly capacity: number) {
    const bytes = new ArrayBuffer(capacity * HOOK_RECORD_BYTES);
    this.floats = new Float64Array(bytes);
    this.ints = new Int32Array(bytes);
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  /** kind is the index in HOOK_KINDS. */
  push(seq: number, t: number, kind: number, typeCode: number, task: number, trigger: number, exec: number, scope: number): void {
    const i = this.length++ * INTS_PER_RECORD;
    this.floats[i >> 1] = t;
    this.ints[i + 2] = seq;
    this.ints[i + 3] = kind | (typeCode << 3);
    this.ints[i + 4] = task;
    this.ints[i + 5] = trigger;
    this.ints[i + 6] = exec;
    this.ints[i + 7] = scope;
  }

  firstSeq(): number {
    return this.ints[2];
  }

  lastSeq(): number {
    return this.ints[(this.length - 1) * INTS_PER_RECORD + 2];
  }

  /** Hands over the records so far (no copy: the buffer starts afresh) and empties it. */
  take(): Uint8Array {
    const out = new Uint8Array(this.floats.buffer, 0, this.length * HOOK_RECORD_BYTES);
    const bytes = new ArrayBuffer(this.capacity * HOOK_RECORD_BYTES);
    this.floats = new Float64Array(bytes);
    this.ints = new Int32Array(bytes);
    this.length = 0;
    return out;
  }
}

/** A decoded chunk: columns as typed arrays, so a million records cost no objects. */
export class HookChunkView {
  private floats: Float64Array;
  private ints: Int32Array;
  readonly count: number;

  constructor(data: Uint8Array) {
    const copy = data.byteOffset % 8 === 0 ? data : data.slice();
    this.floats = new Float64Array(copy.buffer, copy.byteOffset, copy.byteLength / 8);
    this.ints = new Int32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
    this.count = copy.byteLength / HOOK_RECORD_BYTES;
  }

  seq(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 2];
  }

  task(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 4];
  }

  t(i: number): number {
    return this.floats[(i * INTS_PER_RECORD) >> 1];
  }

  typeCode(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 3] >> 3;
  }

  trigger(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 5];
  }

  exec(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 6];
  }

  /** 0 when none. */
  scope(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 7];
  }

  kindIndex(i: number): number {
    return this.ints[i * INTS_PER_RECORD + 3] & 7;
  }

  record(i: number): HookRecord {
    const base = i * INTS_PER_RECORD;
    const packed = this.ints[base + 3];
    return {
      t: this.floats[base >> 1],
      seq: this.ints[base + 2],
      kind: HOOK_KINDS[packed & 7],
      typeCode: packed >> 3,
      task: this.ints[base + 4],
      trigger: this.ints[base + 5],
      exec: this.ints[base + 6],
      scope: this.ints[base + 7],
    };
  }

  /** Index of the first record with seq >= the given one (count when none). */
  lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seq(mid) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
