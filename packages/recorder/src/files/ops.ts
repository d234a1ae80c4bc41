import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FsApi, FsReadOp, FsWriteOp } from '@looptape/recording';
import type { Patches } from '../patches.js';
import type { Session } from '../session.js';
import { callerInfo, callSites, isOwnFile } from '../stack.js';

type AnyFn = (...args: any[]) => any;
export type Variant = Exclude<FsApi, 'stream'>;

/** One file-system operation and the names its sync, callback and promise forms have. */
export interface FileOp {
  op: FsReadOp | FsWriteOp;
  kind: 'read' | 'write';
  names: Partial<Record<Variant, string>>;
  /** Where the data argument is (writeFile, appendFile), and whether a second path follows (rename). */
  data?: boolean;
  twoPaths?: boolean;
}

const both = (name: string) => ({ sync: `${name}Sync`, callback: name, promise: name });

/** The operations captured in record and served from the recording in replay. */
export const FILE_OPS: readonly FileOp[] = [
  { op: 'readFile', kind: 'read', names: both('readFile') },
  { op: 'stat', kind: 'read', names: both('stat') },
  { op: 'lstat', kind: 'read', names: both('lstat') },
  { op: 'readdir', kind: 'read', names: both('readdir') },
  { op: 'exists', kind: 'read', names: { sync: 'existsSync' } },
  { op: 'writeFile', kind: 'write', names: both('writeFile'), data: true },
  { op: 'appendFile', kind: 'write', names: both('appendFile'), data: true },
  { op: 'rename', kind: 'write', names: both('rename'), twoPaths: true },
  { op: 'unlink', kind: 'write', names: both('unlink') },
  { op: 'mkdir', kind: 'write', names: both('mkdir') },
  { op: 'rm', kind: 'write', names: both('rm') },
];

/** A call the program made, with its arguments read: what record captures and replay serves. */
export interface FileCall {
  spec: FileOp;
  api: FsApi;
  /** Absolute. */
  path: string;
  /** As events show it: relative to the working directory when inside it. */
  shown: string;
  to?: string;
  toShown?: string;
  /** writeFile, appendFile: the bytes written. */
  data?: Buffer;
  /** The options argument (an encoding string becomes `{encoding}`). */
  options: Record<string, unknown>;
  /** The callback form's callback. */
  callback?: AnyFn;
  site?: string;
}

const cwd = process.cwd();

/** A path argument as an absolute path, or undefined for what is not a path (a file descriptor, a FileHandle). */
export function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return path.resolve(arg);
  if (Buffer.isBuffer(arg)) return path.resolve(arg.toString());
  if (arg instanceof URL && arg.protocol === 'file:') return fileURLToPath(arg);
  return undefined;
}

export function shownPath(absolute: string): string {
  return absolute.startsWith(cwd + path.sep) ? path.relative(cwd, absolute) : absolute;
}

/**
 * Files that are code, not data: packages' files (`node_modules`) are the code under test and
 * are loaded as such, never stored.
 */
function isCode(absolute: string): boolean {
  return absolute.includes(`${path.sep}node_modules${path.sep}`);
}

/**
 * Calls Node makes itself are not the program's: the module loader reading code (CJS
 * `require`), and one operation built on another (appendFileSync on writeFileSync, rm on lstat).
 * util.promisify calls for the program.
 */
function byNode(below: Function): boolean {
  for (const frame of callSites(below, 3)) {
    const file = frame.getFileName() ?? '';
    if (!file || isOwnFile(file)) continue;
    return file.startsWith('node:') && file !== 'node:internal/util';
  }
  return false;
}

function optionsOf(arg: unknown): Record<string, unknown> {
  if (typeof arg === 'string') return { encoding: arg };
  return arg && typeof arg === 'object' ? { ...(arg as Record<string, unknown>) } : {};
}

/** The bytes a writeFile/appendFile call writes, or undefined for data only the call itself can read (a stream, an iterable). */
export function bytesOf(data: unknown, encoding: unknown): Buffer | undefined {
  if (typeof data === 'string') return Buffer.from(data, (encoding as BufferEncoding | undefined) ?? 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

const READ = FILE_OPS.find((o) => o.op === 'readFile')!;

/** `fs.createWriteStream(path, options)` as a program's file call: a `writeFile`, or an `appendFile` with flags `a…`. */
function streamWriteCall(session: Session, args: unknown[], below: Function): FileCall | undefined {
  const options = typeof args[1] === 'string' ? {} : (args[1] as { flags?: string } | undefined) ?? {};
  const spec = FILE_OPS.find((o) => o.op === (options.flags?.startsWith('a') ? 'appendFile' : 'writeFile'))!;
  return programCall(session, spec, 'stream', [args[0], Buffer.alloc(0)], below);
}

/** What a program's file call gets instead of Node's: `original` is the function replaced, `self` its `this`. */
export type FileCallHandler = (call: FileCall, args: unknown[], original: AnyFn, self: unknown) => unknown;

/**
 * Replaces `fs.createReadStream` and `fs.createWriteStream`: a program's call (a `readFile`; a
 * `writeFile`, or an `appendFile` by its flags) gets the stream `open` makes, any other call the
 * original's.
 */
export function patchStreamOpeners(session: Session, patches: Patches, open: Record<'createReadStream' | 'createWriteStream', FileCallHandler>): void {
  for (const name of ['createReadStream', 'createWriteStream'] as const) {
    patches.replace(fs, name, (original) => {
      const wrapper = function (this: unknown, ...args: unknown[]) {
        const call = name === 'createReadStream' ? programCall(session, READ, 'stream', [args[0]], wrapper) : streamWriteCall(session, args, wrapper);
        return call ? open[name](call, args, original as AnyFn, this) : (original as AnyFn).apply(this, args);
      };
      return wrapper as typeof original;
    });
  }
}

/**
 * Reads the arguments of a call, or undefined when the call is not the program's to capture:
 * looptape's own work, Node's module loader (the program's code is not data), a package's file,
 * a file descriptor or FileHandle, data the call alone can read.
 */
function programCall(session: Session, spec: FileOp, api: FsApi, args: unknown[], below: Function): FileCall | undefined {
  if (session.ownDepth > 0 || session.closed) return undefined;
  const file = pathOf(args[0]);
  if (file === undefined || isCode(file)) return undefined;
  if (byNode(below)) return undefined;
  const caller = callerInfo(below, 8);
  const rest = args.slice(1);
  const callback = api === 'callback' && typeof rest[rest.length - 1] === 'function' ? (rest.pop() as AnyFn) : undefined;
  const call: FileCall = { spec, api, path: file, shown: shownPath(file), options: {}, callback, site: caller.site };
  if (spec.twoPaths) {
    const to = pathOf(rest[0]);
    if (to === undefined) return undefined;
    call.to = to;
    call.toShown = shownPath(to);
  } else if (spec.data) {
    call.options = optionsOf(rest[1]);
    call.data = bytesOf(rest[0], call.options.encoding);
    if (!call.data) return undefined;
  } else {
    call.options = optionsOf(rest[0]);
  }
  if (call.options.bigint) return undefined;
  return call;
}

/** Where a form of an operation lives: `fs` for sync and callback, `fs.promises` for promises. */
export function hostOf(variant: Variant): Record<string, unknown> {
  return (variant === 'promise' ? fs.promises : fs) as unknown as Record<string, unknown>;
}

/**
 * Replaces every form of every operation: a program's call (`call.api` is its form) goes to
 * `handle`, any other call to the original.
 */
export function patchFileOps(session: Session, patches: Patches, handle: FileCallHandler): void {
  for (const spec of FILE_OPS) {
    for (const [variant, name] of Object.entries(spec.names) as Array<[Variant, string]>) {
      patches.replace(hostOf(variant), name, (original) => {
        const wrapper = function (this: unknown, ...args: unknown[]): unknown {
          const call = programCall(session, spec, variant, args, wrapper);
          return call ? handle(call, args, original as AnyFn, this) : (original as AnyFn).apply(this, args);
        };
        return wrapper;
      });
    }
  }
}
