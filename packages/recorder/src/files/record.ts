import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import type { Patches } from '../patches.js';
import type { Session } from '../session.js';
import type { FileContents } from './content.js';
import { errorCode, fileEvent, listingValue, statValue, type FileOutcome } from './events.js';
import { patchFileOps, patchStreamOpeners, type FileCall } from './ops.js';

type AnyFn = (...args: any[]) => any;

/**
 * Records the file system as the program sees it: what each call read (content, stat, listing,
 * existence) and what it changed. The real call runs as the program made it (callback and
 * promise forms stay asynchronous); reads ask for bytes, so that what is stored is what the file
 * held, and hand the program the text it asked for.
 */
export function installFileCapture(session: Session, patches: Patches, contents: FileContents): void {
  const outcome = (call: FileCall, result: unknown): FileOutcome => {
    switch (call.spec.op) {
      case 'readFile': return contents.keep(call.shown, result as Buffer);
      case 'stat': case 'lstat': return { value: statValue(result as fs.Stats) };
      case 'readdir': return { value: listingValue(result as unknown[]) };
      case 'exists': return { value: result };
      case 'writeFile': case 'appendFile': return contents.keep(call.shown, call.data!);
      default: return {};
    }
  };
  const byPromise = { writeFile: fs.promises.writeFile, appendFile: fs.promises.appendFile } as Record<string, AnyFn>;
  patchFileOps(session, patches, (call, args, original, self) => {
    const variant = call.api;
    const slot = session.reserve();
    const done = (error: unknown, result?: unknown) => session.own(() => {
      // When the answer came, among the program's other events: replay hands it over at the same point.
      const at = variant === 'sync' ? undefined : session.seq;
      fileEvent(session, slot, call, { ...(error ? { error: errorCode(error) } : outcome(call, result)), done: at });
    });
    const real = realArgs(call, args);
    if (variant === 'sync') {
      let result: unknown;
      try {
        // Node runs a sync call on fs.openSync/closeSync as the module has them: what a library
        // patched there (graceful-fs's closeSync draws Date.now) is not the program's, and replay cannot run it.
        result = session.own(() => original.apply(self, real));
      } catch (error) {
        done(error);
        throw error;
      }
      done(undefined, result);
      return present(call, result);
    }
    if (variant === 'callback') {
      const answer = (error: unknown, result?: unknown) => {
        done(error, result);
        call.callback!(error ?? null, error ? result : present(call, result));
      };
      // Node's callback writeFile closes through the module's fs.close, which libraries patch
      // (graceful-fs draws Date.now there): its promise form closes the file itself.
      const promised = byPromise[call.spec.op];
      if (promised) return void promised(...real).then((result: unknown) => answer(undefined, result), answer);
      return original.apply(self, [...real, answer]);
    }
    return (original.apply(self, real) as Promise<unknown>).then((result) => {
      done(undefined, result);
      return present(call, result);
    }, (error) => {
      done(error);
      throw error;
    });
  });
  patchStreams(session, patches, contents);
  syncBuiltinESMExports();
  patches.add(() => syncBuiltinESMExports());
}

/** The arguments the real call gets: a read asks for bytes (the program's encoding is applied after). */
function realArgs(call: FileCall, args: unknown[]): unknown[] {
  const real = call.callback ? args.slice(0, -1) : [...args];
  if (call.spec.op === 'readFile') real[1] = { ...call.options, encoding: null };
  return real;
}

/** What the program gets: read bytes in the encoding it asked for. */
export function present(call: FileCall, result: unknown): unknown {
  const encoding = call.options.encoding as BufferEncoding | undefined | null;
  return call.spec.op === 'readFile' && encoding ? (result as Buffer).toString(encoding) : result;
}


/**
 * Streams: a read stream's chunks are kept as it pushes them, a write stream's as it writes
 * them; the event is recorded when the stream closes. Nothing is added that changes the stream
 * (no 'data' or 'error' listener: those would change its mode or swallow its errors).
 */
function patchStreams(session: Session, patches: Patches, contents: FileContents): void {
  // A stream opens, reads, writes and closes through the module's functions, which libraries
  // patch (graceful-fs's close draws Date.now): the program's streams get Node's own, as loaded.
  const nodeFs = { open: fs.open, read: fs.read, write: fs.write, writev: fs.writev, close: fs.close };
  const withNodeFs = (args: unknown[]) => {
    const options = (typeof args[1] === 'string' ? { encoding: args[1] } : args[1] ?? {}) as { fs?: unknown };
    return [args[0], { ...options, fs: options.fs ?? nodeFs }, ...args.slice(2)];
  };
  patchStreamOpeners(session, patches, {
    createReadStream(call, args, original, self) {
      const stream = original.apply(self, withNodeFs(args)) as fs.ReadStream & { push: AnyFn };
      const slot = session.reserve();
      const chunks: Buffer[] = [];
      const push = stream.push;
      stream.push = function (chunk: unknown, ...rest: unknown[]) {
        if (chunk != null) chunks.push(Buffer.from(chunk as Uint8Array));
        return push.call(this, chunk, ...rest);
      };
      stream.on('close', () => session.own(() => fileEvent(session, slot, call, stream.errored ? { error: errorCode(stream.errored) } : contents.keep(call.shown, Buffer.concat(chunks)))));
      return stream;
    },
    createWriteStream(call, args, original, self) {
      const stream = original.apply(self, withNodeFs(args)) as fs.WriteStream & { _write: AnyFn; _writev?: AnyFn };
      const slot = session.reserve();
      const chunks: Buffer[] = [];
      const write = stream._write;
      stream._write = function (chunk: Buffer, ...rest: unknown[]) {
        chunks.push(Buffer.from(chunk));
        return write.call(this, chunk, ...rest);
      };
      const writev = stream._writev;
      if (writev) {
        stream._writev = function (parts: Array<{ chunk: Buffer }>, ...rest: unknown[]) {
          for (const p of parts) chunks.push(Buffer.from(p.chunk));
          return writev.call(this, parts, ...rest);
        };
      }
      stream.on('close', () => session.own(() => {
        call.data = Buffer.concat(chunks);
        fileEvent(session, slot, call, stream.errored ? { error: errorCode(stream.errored) } : contents.keep(call.shown, call.data));
      }));
      return stream;
    },
  });
}
