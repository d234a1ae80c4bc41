import { syncBuiltinESMExports } from 'node:module';
import { Readable, Writable } from 'node:stream';
import { fileEvent, patchFileOps, patchStreamOpeners, present, type FileCall, type FileOutcome, type Patches, type Session } from '@looptape/recorder/capture';
import type { FileOverlay, Served } from './overlay.js';

type AnyFn = (...args: any[]) => any;

// Captured when this module loads, before replay patches the globals.
const realSetImmediate = setImmediate;

/**
 * Serves the program's file calls from the overlay: the same events as when recorded, at the
 * seq of the call; callback and promise forms answer in a later turn of the event loop, as the
 * thread pool would, so the program still runs them asynchronously.
 */
export function installFileReplay(session: Session, patches: Patches, overlay: FileOverlay, answerAt: AnswerAt): void {
  patchFileOps(session, patches, (call) => {
    // Served and recorded at the call (its seq, as recorded); the answer waits for its recorded turn.
    const { served, error, outcome, done } = serve(overlay, call);
    fileEvent(session, session.reserve(), call, outcome);
    const result = error ? undefined : present(call, served!.result);
    if (call.api === 'sync') {
      if (error) throw error;
      return result;
    }
    if (call.api === 'callback') {
      answerAt(done, () => (error ? call.callback!(error) : call.callback!(null, result)));
      return undefined;
    }
    return new Promise((resolve, reject) => answerAt(done, () => (error ? reject(error) : resolve(result))));
  });
  patchStreams(session, patches, (call) => serve(overlay, call));
  syncBuiltinESMExports();
  patches.add(() => syncBuiltinESMExports());
}

/**
 * Runs an answer to an asynchronous call once the program has done what it did, when recorded,
 * before that answer came (`done`, a recorded seq); right away in a later turn when it has.
 */
export type AnswerAt = (done: number | undefined, answer: () => void) => void;

type Outcome = { served?: Served; error?: unknown; outcome: FileOutcome; done?: number };

function serve(overlay: FileOverlay, call: FileCall): Outcome {
  try {
    const served = overlay.serve(call);
    return { served, outcome: served.outcome, done: served.done };
  } catch (error) {
    const e = error as { outcome?: FileOutcome; done?: number };
    return { error, outcome: e.outcome ?? { error: 'EIO' }, done: e.done };
  }
}

const CHUNK = 64 * 1024;

/** Streams over the overlay: a read stream pushes the served bytes, a write stream writes on close. */
function patchStreams(session: Session, patches: Patches, serve: (call: FileCall) => Outcome): void {
  patchStreamOpeners(session, patches, {
    createReadStream(call, args) {
      const slot = session.reserve();
      const options = (typeof args[1] === 'string' ? { encoding: args[1] } : args[1] ?? {}) as { encoding?: BufferEncoding; highWaterMark?: number };
      let data: Buffer | undefined;
      const stream = new Readable({
        highWaterMark: options.highWaterMark ?? CHUNK,
        read() {
          if (data) return;
          const { served, error, outcome } = serve(call);
          fileEvent(session, slot, call, outcome);
          if (error) return void this.destroy(error as Error);
          data = served!.result as Buffer;
          const size = options.highWaterMark ?? CHUNK;
          for (let i = 0; i < data.byteLength; i += size) this.push(data.subarray(i, i + size));
          this.push(null);
        },
      });
      if (options.encoding) stream.setEncoding(options.encoding);
      return Object.assign(stream, { path: args[0], bytesRead: 0, pending: false, close: (cb?: AnyFn) => stream.destroy() && cb?.() });
    },
    createWriteStream(call, args) {
      const slot = session.reserve();
      const chunks: Buffer[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(Buffer.from(chunk));
          callback();
        },
        final(callback) {
          call.data = Buffer.concat(chunks);
          const { error, outcome } = serve(call);
          fileEvent(session, slot, call, outcome);
          callback(error as Error | undefined);
        },
      });
      realSetImmediate(() => {
        stream.emit('open', 3);
        stream.emit('ready');
      });
      return Object.assign(stream, { path: args[0], bytesWritten: 0, pending: false, close: (cb?: AnyFn) => stream.end(cb) });
    },
  });
}
