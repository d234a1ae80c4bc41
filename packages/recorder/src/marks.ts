/** A task's mark: 0 none, OWN for looptape's own work, or the exchange id of its request scope. */
export const OWN = -1;

const RING_BITS = 20;
const RING_SIZE = 1 << RING_BITS;
const MASK = RING_SIZE - 1;
/** Bound on the marks kept for long-lived resources (no destroy hook tells when they end). */
const LASTING_MAX = 100_000;

/**
 * Marks by asyncId, without touching the resources: asking Node for the executing resource
 * (executionAsyncResource) makes every callback pass its resource along, which costs more
 * than the hook itself. Promises go in a direct-mapped ring (a mark lives as long as the next
 * million async ids); resources that can run callbacks much later (timers, sockets, requests)
 * also go in a bounded map.
 */
export class TaskMarks {
  private readonly ids = new Int32Array(RING_SIZE);
  private readonly marks = new Int32Array(RING_SIZE);
  private readonly promises = new Uint8Array(RING_SIZE);
  private readonly lasting = new Map<number, number>();
  /** looptape's own long-lived resources (its flush timer): never forgotten, or their runs would be recorded. */
  private readonly own = new Set<number>();

  set(id: number, mark: number, lasting = false, promise = false): void {
    const slot = id & MASK;
    this.ids[slot] = id;
    this.marks[slot] = mark;
    this.promises[slot] = promise ? 1 : 0;
    if (lasting && mark === OWN) this.own.add(id);
    else if (lasting && mark !== 0) {
      if (this.lasting.size >= LASTING_MAX) this.forgetOldest();
      this.lasting.set(id, mark);
    }
  }

  /** Whether a task is a promise (false when its mark is gone). */
  isPromise(id: number): boolean {
    const slot = id & MASK;
    return this.ids[slot] === id && this.promises[slot] === 1;
  }

  get(id: number): number {
    const slot = id & MASK;
    if (this.ids[slot] === id) return this.marks[slot];
    return this.own.has(id) ? OWN : this.lasting.get(id) ?? 0;
  }

  private forgetOldest(): void {
    let n = LASTING_MAX >> 1;
    for (const id of this.lasting.keys()) {
      this.lasting.delete(id);
      if (--n === 0) break;
    }
  }
}

/** Async resource types that may run callbacks long after they were created. */
export const LASTING_TYPES = new Set([
  'Timeout', 'TCPWRAP', 'TCPSERVERWRAP', 'PIPEWRAP', 'TLSWRAP', 'HTTPINCOMINGMESSAGE', 'HTTPCLIENTREQUEST',
  'FILEHANDLE', 'STATWATCHER', 'FSEVENTWRAP', 'SIGNALWRAP', 'UDPWRAP', 'MESSAGEPORT', 'WORKER', 'bound-anonymous-fn',
]);

/** The marks of this process's recording. */
export const marks = new TaskMarks();
