/**
 * Every recorded fact is one member of this union, keyed by `kind`.
 * Field names follow the event-stream contract of `looptape events --json`.
 */

export type Direction = 'out' | 'in';
export type BodyEncoding = 'utf8' | 'base64';
export type Headers = Record<string, string | string[]>;

/** Fields every event carries. */
export interface EventBase {
  seq: number;
  /** Milliseconds since the recording started (virtual time in replay). */
  t: number;
  /** The async task (asyncId) the event happened in; 0 when unknown. */
  task: number;
  /** The inbound request's exchange this event belongs to, or null. */
  scope: number | null;
  /** Which process of the recording (0: the recorded program). */
  process: number;
}

export interface TaskInit extends EventBase { kind: 'task.init'; type: string; trigger: number; exec: number }
export interface TaskBefore extends EventBase { kind: 'task.before' }
export interface TaskAfter extends EventBase { kind: 'task.after' }
export interface TaskResolve extends EventBase { kind: 'task.resolve' }
export interface TaskDestroy extends EventBase { kind: 'task.destroy' }
/** With `record --stacks`: where a task was created (the program's own frames), right after its init. */
export interface TaskStack extends EventBase { kind: 'task.stack'; site: string | null; frames: string[] }

export type TimerApi = 'setTimeout' | 'setInterval' | 'setImmediate';
export interface TimerSet extends EventBase {
  kind: 'timer.set';
  timer: number;
  api: TimerApi;
  delay: number;
  repeat: boolean;
  /** Set by Node's own internals or a dependency bundled in Node (undici), not by the program. */
  internal?: boolean;
  /** file:line:column of the user code that set it, when known. */
  site?: string;
  /** asyncId of the Timeout/Immediate resource (the `task` of its timer.fire events). */
  resource?: number;
}
export interface TimerFire extends EventBase { kind: 'timer.fire'; timer: number }
export interface TimerClear extends EventBase { kind: 'timer.clear'; timer: number }

export interface HttpRequest extends EventBase {
  kind: 'http.request';
  exchange: number;
  direction: Direction;
  method: string;
  url: string;
  headers: Headers;
  body: string;
  bodyEncoding?: BodyEncoding;
  /** Inbound: the local port the request arrived on (which server). */
  port?: number;
  /** Inbound: which client connection it came on (1, 2, …): requests on one connection keep their order. */
  connection?: number;
  /** Inbound: the client's port (loggers print it), so replay's connection shows the same. */
  remotePort?: number;
  /** Which client made an outbound request: `fetch` or `http`. */
  client?: 'fetch' | 'http';
  /** Outbound through `http`: the agent gave it a kept-alive socket (`req.reusedSocket`), no new connection. */
  reused?: boolean;
  /** Outbound through `http`: it waited for a socket of its agent (`maxSockets`), and got one when a call before it ended. */
  queued?: boolean;
  /**
   * Outbound through `fetch`: the last seq taken before the fetch call returned. Tasks its
   * task made after the request and up to here are Node's (undici's), not the program's.
   */
  callEnd?: number;
  site?: string;
}
export interface HttpResponse extends EventBase {
  kind: 'http.response';
  exchange: number;
  direction: Direction;
  status: number;
  statusText?: string;
  headers: Headers;
  body: string;
  bodyEncoding?: BodyEncoding;
  /** True when `body` is the decoded body although `content-encoding` names a compression (fetch decodes). */
  bodyDecoded?: boolean;
}
export interface HttpError extends EventBase {
  kind: 'http.error';
  exchange: number;
  direction: Direction;
  message: string;
  code?: string;
  /** Outbound: the program destroyed the request itself (req.destroy()): not something the outside world did. */
  byProgram?: boolean;
}
export interface HttpBody extends EventBase {
  kind: 'http.body';
  exchange: number;
  direction: Direction;
  chunk: string;
  bodyEncoding?: BodyEncoding;
  /** The end of a body delivered in parts (its own delivery; `chunk` is empty). */
  end?: boolean;
}
export interface HttpAbort extends EventBase { kind: 'http.abort'; exchange: number; direction: Direction }
/**
 * Outbound (`http`/`https` requests): the new socket of the exchange connected, or with `secure`
 * finished its TLS handshake (a delivery each). A kept-alive socket handed to the exchange has none.
 */
export interface HttpConnect extends EventBase { kind: 'http.connect'; exchange: number; direction: 'out'; secure?: boolean }
export interface HttpListen extends EventBase { kind: 'http.listen'; port: number; host: string; server: number }

/** What a raw client connection speaks, told from its first bytes (see protocols/). */
export type NetProtocol = 'redis' | 'pg' | 'tcp';
/** Fields of every event of one raw TCP/TLS client connection. */
interface NetBase extends EventBase {
  /** Which client connection of the program (1, 2, … in the order it opened them). */
  connection: number;
}
/** A client connection the program opened is established (a delivery). Written once its protocol is known. */
export interface NetConnect extends NetBase { kind: 'net.connect'; host: string; port: number; protocol: NetProtocol; tls?: boolean }
/** A chunk the program read from the connection (a delivery), plaintext under TLS. */
export interface NetData extends NetBase { kind: 'net.data'; chunk: string; bodyEncoding?: BodyEncoding }
/** A chunk the program wrote to the connection (an output, compared in replay). */
export interface NetWrite extends NetBase { kind: 'net.write'; chunk: string; bodyEncoding?: BodyEncoding }
/** The connection ended: by the other side (a delivery), or by the program (`byProgram`). */
export interface NetClose extends NetBase { kind: 'net.close'; byProgram?: boolean }
/** The connection failed (refused, reset…): a delivery. */
export interface NetError extends NetBase {
  kind: 'net.error';
  message: string;
  code?: string;
  /** Where it was connecting, when it failed before it was established (no net.connect says so). */
  host?: string;
  port?: number;
}

export interface Nondet extends EventBase {
  kind: 'nondet';
  source: string;
  /** Numbers stay numbers; bigint (hrtime.bigint) and byte values are strings; an unset env variable is null. */
  value: number | string | number[] | null;
  site?: string;
}
export interface ConsoleOutput extends EventBase { kind: 'console'; stream: 'stdout' | 'stderr'; text: string }
export interface ErrorUncaught extends EventBase { kind: 'error.uncaught'; message: string; name: string; stack: string }
export interface ErrorUnhandledRejection extends EventBase {
  kind: 'error.unhandled-rejection';
  message: string;
  name: string;
  stack: string;
  /** True when the program has its own `unhandledRejection` handler (so the process did not crash). */
  handled?: boolean;
}
export interface ProcessExit extends EventBase { kind: 'process.exit'; code: number }
/** At exit: the handles still active (process.getActiveResourcesInfo(): ref'd timers, sockets, servers…). */
export interface ProcessActive extends EventBase { kind: 'process.active'; resources: string[] }
export interface ProcessSignal extends EventBase { kind: 'process.signal'; signal: string }
/** How a file's content is kept in the recording (table `files`, keyed by `hash`). */
export type FileStored = 'content' | 'redacted' | 'hash';
export type FsApi = 'sync' | 'callback' | 'promise' | 'stream';
export type FsReadOp = 'readFile' | 'stat' | 'lstat' | 'readdir' | 'exists';
export type FsWriteOp = 'writeFile' | 'appendFile' | 'rename' | 'unlink' | 'mkdir' | 'rm';
/**
 * The program read the file system: the content it got (`hash`, sha256, and `size`; the bytes
 * are in table `files` under that hash), or a stat, listing or existence (`value`), or an error.
 */
export interface FsRead extends EventBase {
  kind: 'fs.read';
  op: FsReadOp;
  api: FsApi;
  /** As the program named it, relative to the recording's cwd when inside it. */
  path: string;
  size?: number;
  hash?: string;
  stored?: FileStored;
  /** stat: {mode, size, mtimeMs…}; readdir: [name, type] pairs; exists: a boolean. */
  value?: unknown;
  /** The error code the program got (ENOENT…). */
  error?: string;
  /** Callback, promise and stream forms: the last seq taken before the program got the answer. */
  done?: number;
  site?: string;
}
/** The program changed the file system: what it wrote (`hash`/`size`, bytes in table `files`), moved, removed or made. */
export interface FsWrite extends EventBase {
  kind: 'fs.write';
  op: FsWriteOp;
  api: FsApi;
  path: string;
  /** rename: where to. */
  to?: string;
  size?: number;
  hash?: string;
  stored?: FileStored;
  error?: string;
  done?: number;
  site?: string;
}
export interface Unsupported extends EventBase { kind: 'unsupported'; what: string; detail: string; site?: string }

export type LoopEvent =
  | TaskInit | TaskBefore | TaskAfter | TaskResolve | TaskDestroy | TaskStack
  | TimerSet | TimerFire | TimerClear
  | HttpRequest | HttpResponse | HttpError | HttpBody | HttpAbort | HttpConnect | HttpListen
  | NetConnect | NetData | NetWrite | NetClose | NetError
  | Nondet | FsRead | FsWrite | ConsoleOutput | ErrorUncaught | ErrorUnhandledRejection
  | ProcessExit | ProcessActive | ProcessSignal | Unsupported;

export type EventKind = LoopEvent['kind'];

/** An event before the writer gives it its place in the order. */
export type EventInput = LoopEvent extends infer E ? (E extends LoopEvent ? Omit<E, 'seq'> : never) : never;

/** Kinds stored compactly in the numeric hook stream (see hook-stream.ts). */
export const HOOK_KINDS = ['task.init', 'task.before', 'task.after', 'task.resolve', 'task.destroy'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

export const EVENT_KINDS: readonly EventKind[] = [
  ...HOOK_KINDS,
  'task.stack',
  'timer.set', 'timer.fire', 'timer.clear',
  'http.request', 'http.response', 'http.error', 'http.body', 'http.abort', 'http.listen', 'http.connect',
  'net.connect', 'net.data', 'net.write', 'net.close', 'net.error',
  'nondet', 'fs.read', 'fs.write', 'console', 'error.uncaught', 'error.unhandled-rejection',
  'process.exit', 'process.active', 'process.signal', 'unsupported',
];

export function isHookKind(kind: string): kind is HookKind {
  return (HOOK_KINDS as readonly string[]).includes(kind);
}

/** Every kind stored as a row (all but the task hooks, which are stored as numeric chunks). */
export const RICH_KINDS = EVENT_KINDS.filter((k) => !isHookKind(k)) as EventKind[];

/** The deliveries: what the outside world hands the program, in an order it does not control. */
export function isDelivery(e: LoopEvent): boolean {
  switch (e.kind) {
    case 'timer.fire':
    case 'http.abort':
    case 'http.connect':
    case 'process.signal':
    case 'net.connect':
    case 'net.data':
    case 'net.error':
      return true;
    case 'net.close':
      return !e.byProgram;
    case 'http.request':
      return e.direction === 'in';
    case 'http.error':
      return e.direction === 'out' && !e.byProgram;
    case 'http.response':
    case 'http.body':
      return e.direction === 'out';
    default:
      return false;
  }
}
