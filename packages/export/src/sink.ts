import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Where an export goes: stdout, or a file written beside its final name and renamed into
 * place when complete, so that a failed export never leaves half a file (nor touches an
 * existing one). Writes wait for the stream to drain: large exports stream, never pile up.
 */
export class Sink {
  /** The first error of the file's stream (it can come between two writes: no write is pending then). */
  private failure: Error | undefined;

  private constructor(private readonly stream: NodeJS.WritableStream, private readonly file: { tmp: string; final: string } | null) {
    if (file) stream.on('error', (error: Error) => (this.failure ??= error));
  }

  static toFile(final: string): Sink {
    const tmp = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.tmp`);
    return new Sink(fs.createWriteStream(tmp), { tmp, final });
  }

  static toStream(stream: NodeJS.WritableStream): Sink {
    return new Sink(stream, null);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Finishes the file and puts it in place (a stream is left open: it is the caller's). */
  async close(): Promise<void> {
    if (!this.file) return;
    const closed = once(this.stream, 'close');
    this.stream.end();
    await closed;
    if (this.failure) throw this.failure;
    fs.renameSync(this.file.tmp, this.file.final);
  }

  /** Removes what was written so far (after a failure), once the stream has let go of the file. */
  async abandon(): Promise<void> {
    if (!this.file) return;
    const stream = this.stream as fs.WriteStream;
    if (!stream.closed) {
      const closed = once(stream, 'close').catch(() => undefined);
      stream.destroy();
      await closed;
    }
    fs.rmSync(this.file.tmp, { force: true });
  }
}
