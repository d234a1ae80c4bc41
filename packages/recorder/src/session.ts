import { executionAsyncId } from 'node:async_hooks';
import { HookBuffer, type EventInput, type FileContent, type HookChunk, type LoopEvent } from '@looptape/recording';

/** Where a session's events go: a recording file, or the replayer's comparison. */
export interface EventSink {
  write(events: LoopEvent[], chunks: HookChunk[], types: Array<[number, string]>, files: FileContent[]): void;
}

export interface SessionOptions {
  sink: EventSink;
  /** Milliseconds since the recording started: real time when recording, virtual time in replay. */
  now: () => number;
  /** Applied to every rich event before it reaches the sink (redaction). */
  transform?: (events: LoopEvent[]) => void;
  hookChunkSize?: number;
  /**
   * Sees every rich event as soon as all earlier ones are complete, in seq order
   * (an event reserved earlier and filled later holds back those after it). Used by replay.
   */
  observe?: (event: LoopEvent) => void;
  /** Called once if the sink fails; the session then stops writing. */
  onFailure?: (error: Error) => void;
}

import { marks } from './marks.js';

/**
 * One recording in progress: the single total order (`seq`), the buffers, and the
 * "this is looptape's own work" flag that keeps the recorder out of its own recording.
 */
export class Session {
  seq = 0;
  /** >0 while looptape's own code runs: resources created then are its own (see marks.ts). */
  ownDepth = 0;
  readonly hooks: HookBuffer;
  private events: LoopEvent[] = [];
  private chunks: HookChunk[] = [];
  private typeCodes = new Map<string, number>();
  private newTypes: Array<[number, string]> = [];
  /** File contents waiting for the next flush, and the hashes already kept (each content once). */
  private files: FileContent[] = [];
  private readonly keptFiles = new Set<string>();
  /** Seqs reserved and not yet filled, and events waiting behind them (observe only). */
  private unfilled = new Set<number>();
  private held: LoopEvent[] = [];
  closed = false;
  /** Set when the sink failed: nothing more is written. */
  failed: Error | undefined;

  constructor(private readonly options: SessionOptions) {
    this.hooks = new HookBuffer(options.hookChunkSize ?? 65536);
  }

  /**
   * The latest time handed out: event times never go back along seq, though the wall clock can
   * (a system clock set back) and the hooks reuse a reading for promise events (see hooks.ts).
   */
  lastT = 0;

  /**
   * Where an exception escaped the program's code, when replay ran that code inside a task of its
   * own making (a virtual timer's): the scheduler's frames are left before Node sees it uncaught.
   */
  readonly escapedFrom = new WeakMap<object, { task: number; scope: number | null }>();

  now(): number {
    const t = this.options.now();
    return t > this.lastT ? (this.lastT = t) : this.lastT;
  }

  /** The clock, for hot paths that call it directly (still never going back). */
  get clock(): () => number {
    return () => this.now();
  }

  /** Records one event now, in the current task and scope. Returns its seq. */
  emit(input: EventInput): number {
    const seq = ++this.seq;
    const event = { ...input, seq } as LoopEvent;
    this.events.push(event);
    if (this.options.observe) this.release(event);
    return seq;
  }

  /** The common fields of an event happening now. */
  here(): { t: number; task: number; scope: number | null; process: number } {
    return { t: this.now(), task: executionAsyncId(), scope: currentScope(), process: 0 };
  }

  /** Takes the next seq now, for an event whose fields are complete only later (a body still arriving). */
  reserve(): { seq: number; t: number; task: number; scope: number | null } {
    const seq = ++this.seq;
    if (this.options.observe) this.unfilled.add(seq);
    return { seq, ...this.here() };
  }

  /** Records an event at a seq taken earlier with reserve(). */
  emitReserved(event: LoopEvent): void {
    this.events.push(event);
    if (this.options.observe) {
      this.unfilled.delete(event.seq);
      this.release(event);
    }
  }

  /** Gives up a seq taken with reserve() that will not be used (it stays a gap in the order). */
  cancel(seq: number): void {
    if (!this.options.observe) return;
    this.unfilled.delete(seq);
    if (this.held.length > 0) this.release(this.held.pop()!);
  }

  /** Hands events to the observer in seq order, holding back those behind an unfilled seq. */
  private release(event: LoopEvent): void {
    // Events come nearly in seq order, and many can wait behind one unfilled seq (a handler that
    // reads the clock in a loop before it answers): insert from the end, never sort them all.
    let at = this.held.length;
    while (at > 0 && this.held[at - 1].seq > event.seq) at--;
    this.held.splice(at, 0, event);
    const lowest = this.unfilled.size === 0 ? Infinity : Math.min(...this.unfilled);
    while (this.held.length > 0 && this.held[0].seq < lowest) this.options.observe!(this.held.shift()!);
  }

  /** Events still held behind a reserved seq that was never filled (the program ended first). */
  drainHeld(): void {
    this.unfilled.clear();
    while (this.held.length > 0) this.options.observe?.(this.held.shift()!);
  }

  typeCode(type: string): number {
    let code = this.typeCodes.get(type);
    if (code === undefined) {
      code = this.typeCodes.size + 1;
      this.typeCodes.set(type, code);
      this.newTypes.push([code, type]);
    }
    return code;
  }

  /** Keeps a file content for the next flush, once per distinct content (by its hash). */
  keepFile(file: FileContent): void {
    if (this.keptFiles.has(file.hash)) return;
    this.keptFiles.add(file.hash);
    this.files.push(file);
  }

  /**
   * Moves a full hook buffer aside. A program that keeps the event loop busy (no flush timer
   * runs) would pile chunks up in memory: past 16 (32 MB), they are written right away.
   */
  sealHooks(): void {
    if (this.hooks.length === 0) return;
    const firstSeq = this.hooks.firstSeq();
    const lastSeq = this.hooks.lastSeq();
    const count = this.hooks.length;
    this.chunks.push({ firstSeq, lastSeq, count, data: this.hooks.take() });
    if (this.chunks.length >= 16 && this.ownDepth === 0) this.flush();
  }

  /**
   * Hands everything buffered to the sink. A failing sink (disk full, file removed) must not
   * change the program: the failure is reported once and the session stops recording.
   */
  flush(): void {
    if (this.failed) return;
    this.ownDepth++;
    try {
      this.sealHooks();
      if (this.events.length === 0 && this.chunks.length === 0 && this.newTypes.length === 0 && this.files.length === 0) return;
      const events = this.events;
      const chunks = this.chunks;
      const types = this.newTypes;
      const files = this.files;
      this.events = [];
      this.chunks = [];
      this.newTypes = [];
      this.files = [];
      events.sort((a, b) => a.seq - b.seq);
      this.options.transform?.(events);
      this.options.sink.write(events, chunks, types, files);
    } catch (error) {
      this.failed = error as Error;
      this.options.onFailure?.(error as Error);
    } finally {
      this.ownDepth--;
    }
  }

  /** Runs looptape's own work so that it is not recorded. */
  own<T>(fn: () => T): T {
    this.ownDepth++;
    try {
      return fn();
    } finally {
      this.ownDepth--;
    }
  }
}

/** The inbound request being served by the code running now, or null. */
export function currentScope(): number | null {
  const mark = marks.get(executionAsyncId());
  return mark > 0 ? mark : null;
}

/**
 * Makes the running code (and, through the hooks, what it creates) part of an inbound
 * request's scope. Keep-alive requests share their socket's resource: the next request on it
 * takes the mark over, which is right, since it is then the one being served.
 */
export function enterScope(exchange: number): void {
  marks.set(executionAsyncId(), exchange, true);
}
