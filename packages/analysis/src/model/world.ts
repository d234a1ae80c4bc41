import { siteOf, type Direction, type EventBase, type EventKind, type LoopEvent, type RecordingMeta, type RecordingReader, type TimerApi } from '@looptape/recording';

/** One timer, interval or immediate the program set (Node's own are not recorded). */
export interface TimerInfo {
  id: number;
  api: TimerApi;
  delay: number;
  /** asyncId of its Timeout/Immediate, when known (not for `timers/promises`). */
  resource: number | null;
  site: string | null;
  /** The task that set it. */
  task: number;
  scope: number | null;
  setSeq: number;
  setT: number;
  fireSeqs: number[];
  fireTs: number[];
  /** The task each fire ran in. */
  fireTasks: number[];
  clearSeq: number | null;
  clearT: number | null;
}

/** One HTTP exchange, inbound (a request the program serves) or outbound (a call it makes). */
export interface Exchange {
  id: number;
  direction: Direction;
  method: string;
  url: string;
  site: string | null;
  task: number;
  scope: number | null;
  seq: number;
  t: number;
  /** Outbound fetch: the last seq taken before the call returned (HttpRequest.callEnd). */
  callEnd: number | null;
  response: { seq: number; t: number; status: number } | null;
  abort: { seq: number; t: number } | null;
  error: { seq: number; t: number; message: string } | null;
}

/** Where and when an event happened. */
export type Marker = Pick<EventBase, 'seq' | 't' | 'task' | 'scope'>;

export interface ErrorEvent extends Marker {
  kind: 'error.uncaught' | 'error.unhandled-rejection';
  name: string;
  message: string;
  stack: string;
  handled: boolean;
  /** asyncId of the rejected promise, when the recorder knows it. */
  promise: number | null;
}

/** Everything but the task hooks, gathered in one pass: the rich events are few. */
export interface World {
  meta: RecordingMeta;
  timers: TimerInfo[];
  timerByResource: Map<number, TimerInfo>;
  exchanges: Map<number, Exchange>;
  inbound: Exchange[];
  outbound: Exchange[];
  /** The timers and outbound calls of each request scope. */
  timersByScope: Map<number, TimerInfo[]>;
  outboundByScope: Map<number, Exchange[]>;
  errors: ErrorEvent[];
  exit: (Marker & { code: number }) | null;
  signals: (Marker & { signal: string })[];
  /** process.getActiveResourcesInfo() at exit, when the recorder wrote it. */
  active: (Marker & { resources: string[] }) | null;
  /** With `record --stacks`: where each task was created. */
  stacks: Map<number, string>;
  /** With `record --stacks`: the first frame of each task's creation stack in the program's own code (not a library's). */
  ownFrames: Map<number, string>;
  /** With `record --stacks`: the frame below that (for an async function's promise: the call). */
  callers: Map<number, string>;
  listens: number;
  /** Seqs of what the outside world handed the program (requests, responses, aborts, signals), in order. */
  deliveries: number[];
  /** What the program visibly did (output, HTTP, errors, timers set), in order: see isWork. */
  work: (Marker & { kind: string })[];
  lastSeq: number;
  lastT: number;
}

/** The event kinds the detectors read (the task hooks come through the task table instead). */
const DETECTOR_KINDS = [
  'timer.set', 'timer.fire', 'timer.clear', 'http.request', 'http.response', 'http.error', 'http.abort', 'http.listen',
  'error.uncaught', 'error.unhandled-rejection', 'process.exit', 'process.signal', 'task.stack', 'process.active',
  'console', 'http.body',
] as EventKind[];

/** Events that show the program doing something a user would call work (not a timer merely firing). */
const WORK = new Set<string>(['console', 'http.request', 'http.response', 'http.body', 'http.error', 'http.abort', 'timer.set', 'error.uncaught', 'error.unhandled-rejection']);

/** Reads the events the detectors need, except the task hooks (see readTaskTable). */
export function readWorld(reader: RecordingReader): World {
  const world: World = {
    meta: reader.meta, timers: [], timerByResource: new Map(), exchanges: new Map(), inbound: [], outbound: [], errors: [],
    timersByScope: new Map(), outboundByScope: new Map(),
    exit: null, signals: [], active: null, stacks: new Map(), ownFrames: new Map(), callers: new Map(), listens: 0, deliveries: [], work: [], lastSeq: 0, lastT: 0,
  };
  const timers = new Map<number, TimerInfo>();
  for (const e of reader.events({ kinds: DETECTOR_KINDS })) {
    world.lastSeq = e.seq;
    world.lastT = e.t;
    if (WORK.has(e.kind) && !(e.kind === 'timer.set' && e.internal)) world.work.push({ ...marker(e), kind: e.kind });
    const extra = e as unknown as { kind: string; resources?: string[] };
    if (extra.kind === 'process.active') world.active = { ...marker(e), resources: extra.resources ?? [] };
    else take(world, timers, e);
  }
  for (const timer of world.timers) if (timer.scope !== null) append(world.timersByScope, timer.scope, timer);
  for (const x of world.outbound) if (x.scope !== null) append(world.outboundByScope, x.scope, x);
  return world;
}

function append<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function take(world: World, timers: Map<number, TimerInfo>, e: LoopEvent): void {
  switch (e.kind) {
    case 'timer.set': {
      if (e.internal) return;
      const timer: TimerInfo = {
        id: e.timer, api: e.api, delay: e.delay, resource: e.resource ?? null, site: e.site ?? null, task: e.task, scope: e.scope,
        setSeq: e.seq, setT: e.t, fireSeqs: [], fireTs: [], fireTasks: [], clearSeq: null, clearT: null,
      };
      timers.set(e.timer, timer);
      world.timers.push(timer);
      if (timer.resource !== null) world.timerByResource.set(timer.resource, timer);
      return;
    }
    case 'timer.fire': {
      const timer = timers.get(e.timer);
      if (!timer) return;
      timer.fireSeqs.push(e.seq);
      timer.fireTs.push(e.t);
      timer.fireTasks.push(e.task);
      return;
    }
    case 'timer.clear': {
      const timer = timers.get(e.timer);
      if (timer && timer.clearSeq === null) {
        timer.clearSeq = e.seq;
        timer.clearT = e.t;
      }
      return;
    }
    case 'http.request': {
      const x: Exchange = {
        id: e.exchange, direction: e.direction, method: e.method, url: e.url, site: e.site ?? null, task: e.task, scope: e.scope,
        seq: e.seq, t: e.t, callEnd: e.callEnd ?? null, response: null, abort: null, error: null,
      };
      world.exchanges.set(x.id, x);
      (x.direction === 'in' ? world.inbound : world.outbound).push(x);
      if (x.direction === 'in') world.deliveries.push(e.seq);
      return;
    }
    case 'http.response':
    case 'http.abort':
    case 'http.error': {
      const x = world.exchanges.get(e.exchange);
      if (e.direction === 'out' || e.kind === 'http.abort') world.deliveries.push(e.seq);
      if (!x) return;
      if (e.kind === 'http.response') x.response ??= { seq: e.seq, t: e.t, status: e.status };
      else if (e.kind === 'http.abort') x.abort ??= { seq: e.seq, t: e.t };
      else x.error ??= { seq: e.seq, t: e.t, message: e.message };
      return;
    }
    case 'error.uncaught':
    case 'error.unhandled-rejection': {
      const promise = (e as { promise?: number }).promise ?? null;
      const handled = e.kind === 'error.unhandled-rejection' ? e.handled === true : false;
      world.errors.push({ kind: e.kind, ...marker(e), name: e.name, message: e.message, stack: e.stack, handled, promise });
      return;
    }
    case 'process.exit':
      world.exit ??= { ...marker(e), code: e.code };
      return;
    case 'process.signal':
      world.signals.push({ ...marker(e), signal: e.signal });
      world.deliveries.push(e.seq);
      return;
    case 'task.stack':
      if (e.site) world.stacks.set(e.task, e.site);
      if (e.frames[1]) world.callers.set(e.task, siteOf(e.frames[1]));
      for (const frame of e.frames) {
        const site = siteOf(frame);
        if (!inLibrary(site)) {
          world.ownFrames.set(e.task, site);
          break;
        }
      }
      return;
    case 'http.listen':
      world.listens++;
      return;
    default:
      return;
  }
}

function marker(e: LoopEvent): Marker {
  return { seq: e.seq, t: e.t, task: e.task, scope: e.scope };
}

/** When the request (inbound exchange) was over for the program: answered or its client gone. */
export function requestEnd(x: Exchange): { seq: number; t: number; how: 'answered' | 'client-left' } | null {
  const answered = x.response;
  const left = x.abort ?? x.error;
  if (answered && (!left || answered.seq < left.seq)) return { seq: answered.seq, t: answered.t, how: 'answered' };
  if (left) return { seq: left.seq, t: left.t, how: 'client-left' };
  return null;
}

/** A file:line:col inside an installed package (node_modules), not the program's own code. */
export function inLibrary(site: string): boolean {
  return site.startsWith('node:') || /(^|\/)node_modules\//.test(site);
}
