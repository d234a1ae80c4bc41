import fs from 'node:fs';
import { realFs } from './real-fs.js';
import os from 'node:os';
import path from 'node:path';
import type { FsRead, FsWrite, LoopEvent } from '@looptape/recording';
import { sha256, type FileCall, type FileOutcome, type StatValue } from '@looptape/recorder/capture';
import type { RecordedFiles } from './recorded-files.js';

/** What one served call gives: the value for the program and the outcome its event records. */
export interface Served {
  result?: unknown;
  outcome: FileOutcome;
  /** When the recorded answer came (the recorded event's `done`). */
  done?: number;
}

/** An error as Node's fs gives it (code, errno, syscall, path), from a recorded code. */
export function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const errno = (os.constants.errno as Record<string, number>)[code];
  const error = new Error(`${code}: ${describeCode(code)}, ${syscall} '${file}'`) as NodeJS.ErrnoException;
  Object.assign(error, { errno: errno === undefined ? undefined : -errno, code, syscall, path: file });
  return error;
}

function describeCode(code: string): string {
  return { ENOENT: 'no such file or directory', EEXIST: 'file already exists', EISDIR: 'illegal operation on a directory', ENOTDIR: 'not a directory', EACCES: 'permission denied' }[code] ?? 'operation failed';
}

/**
 * The file system of a replay: what the program reads comes from the recording (each path's
 * reads in recorded order), what it writes goes to memory, and later reads see those writes.
 * The user's files are never written; every replay starts from the recorded state.
 */
export class FileOverlay {
  /** Paths (absolute) this replay wrote: their bytes, or null once removed. */
  private readonly written = new Map<string, Buffer | null>();
  private readonly dirs = new Set<string>();
  private readonly writes = new Map<string, Buffer>();
  private readonly tapes = new Map<string, Array<FsRead | FsWrite>>();
  private readonly cursors = new Map<string, number>();
  /** The recorded answer the call being served follows. */
  private followed: number | undefined;

  constructor(events: readonly LoopEvent[], private readonly recorded: RecordedFiles, private readonly now: () => number) {
    for (const e of events) {
      if (e.kind !== 'fs.read' && e.kind !== 'fs.write') continue;
      const key = `${e.op} ${path.resolve(e.path)}`;
      const tape = this.tapes.get(key) ?? [];
      tape.push(e);
      this.tapes.set(key, tape);
    }
  }

  /** The next recorded outcome of this operation on this path (the last one again once they run out). */
  private next(call: FileCall): FsRead | FsWrite | undefined {
    const key = `${call.spec.op} ${call.path}`;
    const tape = this.tapes.get(key);
    if (!tape) return undefined;
    const i = this.cursors.get(key) ?? 0;
    this.cursors.set(key, i + 1);
    const recorded = tape[Math.min(i, tape.length - 1)];
    this.followed ??= recorded.done;
    return recorded;
  }

  /** Does the call; throws the error the program gets (with the outcome and `done` to record on it). */
  serve(call: FileCall): Served {
    this.followed = undefined;
    try {
      return { ...this.run(call), done: this.followed };
    } catch (error) {
      throw Object.assign(error as object, { done: this.followed });
    }
  }

  private run(call: FileCall): Served {
    switch (call.spec.op) {
      case 'readFile': return this.readFile(call);
      case 'stat': case 'lstat': return this.stat(call);
      case 'readdir': return this.readdir(call);
      case 'exists': return this.exists(call);
      default: return this.write(call);
    }
  }

  private fail(call: FileCall, code: string): never {
    throw Object.assign(fsError(code, call.spec.op === 'readFile' ? 'open' : call.spec.op, call.path), { outcome: { error: code } });
  }

  /** Bytes of a file as this replay sees it: written here, else recorded; undefined when neither knows it. */
  private content(call: FileCall, file: string): Buffer | undefined {
    const own = this.written.get(file);
    if (own !== undefined) return own ?? this.fail(call, 'ENOENT');
    const recorded = this.next({ ...call, path: file, spec: { ...call.spec, op: 'readFile' } });
    if (recorded?.kind !== 'fs.read') return undefined;
    if (recorded.error) this.fail(call, recorded.error);
    return this.recorded.content(file, recorded.hash!);
  }

  private readFile(call: FileCall): Served {
    const own = this.written.get(call.path);
    if (own !== undefined) {
      if (own === null) this.fail(call, 'ENOENT');
      return { result: Buffer.from(own), outcome: { size: own.byteLength, hash: sha256(own) } };
    }
    const recorded = this.next(call) as FsRead | undefined;
    if (!recorded) return { result: realFs.readFileSync(call.path), outcome: {} };
    if (recorded.error) this.fail(call, recorded.error);
    const data = this.recorded.content(call.path, recorded.hash!);
    return { result: data, outcome: { size: recorded.size, hash: recorded.hash, stored: recorded.stored } };
  }

  private stat(call: FileCall): Served {
    const own = this.written.get(call.path);
    if (own === null) this.fail(call, 'ENOENT');
    if (own !== undefined || this.dirs.has(call.path)) {
      const now = this.now();
      const value = { mode: own ? 0o100644 : 0o40755, size: own?.byteLength ?? 4096, mtimeMs: now, ctimeMs: now, atimeMs: now, birthtimeMs: now } as StatValue;
      return { result: toStats(value), outcome: { value } };
    }
    const recorded = this.next(call) as FsRead | undefined;
    if (!recorded) return { result: realFs[call.spec.op === 'lstat' ? 'lstatSync' : 'statSync'](call.path), outcome: {} };
    if (recorded.error) this.fail(call, recorded.error);
    return { result: toStats(recorded.value as StatValue), outcome: { value: recorded.value } };
  }

  private readdir(call: FileCall): Served {
    const recorded = this.next(call) as FsRead | undefined;
    if (recorded?.error && !this.dirs.has(call.path)) this.fail(call, recorded.error);
    const entries = new Map<string, string>();
    const listed = (recorded?.value ?? (recorded ? [] : safeList(call.path))) as Array<string | [string, string]>;
    for (const e of listed) entries.set(Array.isArray(e) ? e[0] : e, Array.isArray(e) ? e[1] : 'f');
    for (const [file, data] of this.written) {
      if (path.dirname(file) !== call.path) continue;
      if (data === null) entries.delete(path.basename(file));
      else entries.set(path.basename(file), 'f');
    }
    for (const dir of this.dirs) if (path.dirname(dir) === call.path) entries.set(path.basename(dir), 'd');
    const value = [...entries].map(([name, type]) => (call.options.withFileTypes ? [name, type] : name)) as Array<string | [string, string]>;
    const result = value.map((e) => (Array.isArray(e) ? dirent(e[0], e[1], call.path) : e));
    return { result, outcome: { value } };
  }

  private exists(call: FileCall): Served {
    const own = this.written.get(call.path);
    if (own !== undefined || this.dirs.has(call.path)) return { result: own !== null, outcome: { value: own !== null } };
    const recorded = this.next(call) as FsRead | undefined;
    const value = recorded ? Boolean(recorded.value) : realFs.existsSync(call.path);
    return { result: value, outcome: { value } };
  }

  private write(call: FileCall): Served {
    const recorded = this.next(call);
    // A write that failed when recorded (a missing folder, a permission) fails the same way.
    if (recorded?.error) this.fail(call, recorded.error);
    const outcome: FileOutcome = call.data ? { size: call.data.byteLength, hash: sha256(call.data) } : {};
    if (call.data) this.writes.set(outcome.hash!, call.data);
    switch (call.spec.op) {
      case 'writeFile':
        this.written.set(call.path, Buffer.from(call.data!));
        break;
      case 'appendFile': {
        const before = this.written.has(call.path) ? this.written.get(call.path) ?? Buffer.alloc(0) : this.content(call, call.path) ?? Buffer.alloc(0);
        this.written.set(call.path, Buffer.concat([before, call.data!]));
        break;
      }
      case 'rename': {
        const data = this.content(call, call.path) ?? (realFs.existsSync(call.path) ? realFs.readFileSync(call.path) : this.fail(call, 'ENOENT'));
        this.written.set(call.to!, data);
        this.written.set(call.path, null);
        break;
      }
      case 'unlink':
        this.written.set(call.path, null);
        break;
      case 'mkdir':
        this.dirs.add(call.path);
        break;
      case 'rm':
        for (const file of [...this.written.keys(), ...this.dirs]) if (file === call.path || file.startsWith(call.path + path.sep)) this.remove(file);
        this.written.set(call.path, null);
        break;
    }
    return { result: undefined, outcome };
  }

  private remove(file: string): void {
    this.dirs.delete(file);
    this.written.set(file, null);
  }

  /** Bytes this replay wrote, by their hash (for the divergence report). */
  wrote(hash: string | undefined): Buffer | undefined {
    return hash ? this.writes.get(hash) : undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return realFs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** A Stats object from recorded numbers: the prototype gives isFile(), isDirectory()… from `mode`. */
function toStats(value: StatValue): fs.Stats {
  const stats = Object.create(fs.Stats.prototype) as fs.Stats;
  for (const [key, n] of Object.entries(value)) Object.defineProperty(stats, key, { value: n, writable: true, enumerable: true, configurable: true });
  for (const name of ['atime', 'mtime', 'ctime', 'birthtime'] as const) {
    Object.defineProperty(stats, name, { value: new Date(value[`${name}Ms`] ?? 0), writable: true, enumerable: true, configurable: true });
  }
  return stats;
}

/** A directory entry as `readdir(…, {withFileTypes: true})` gives it. */
function dirent(name: string, type: string, parent: string): fs.Dirent {
  return {
    name, parentPath: parent, path: parent,
    isFile: () => type === 'f', isDirectory: () => type === 'd', isSymbolicLink: () => type === 'l',
    isBlockDevice: () => false, isCharacterDevice: () => false, isFIFO: () => false, isSocket: () => false,
  } as unknown as fs.Dirent;
}
