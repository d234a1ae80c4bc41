import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Where an export goes: stdout, or a file written beside its final name and renamed into
 * place when complete, so that a failed export never leaves half a file (nor touches an
 * existing one). Writes wait for the stream to drain: large exports stream, never pile up.
 */
export class Sink {
  private constructor(private readonly stream: NodeJS.WritableStream, private readonly file: { tmp: string; final: string } | null) {}

  static toFile(final: string): Sink {
    const tmp = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.tmp`);
    return new Sink(fs.createWriteStream(tmp), { tmp, final });
  }

  static toStream(stream: NodeJS.WritableStream): Sink {
    return new Sink(stream, null);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Finishes the file and puts it in place (a stream is left open: it is the caller's). */
  async close(): Promise<void> {
    if (!this.file) return;
    const done = once(this.stream, 'close');
    this.stream.end();
    await done;
    fs.renameSync(this.file.tmp, this.file.final);
  }

  /** Removes what was written so far (after a failure). */
  abandon(): void {
    if (!this.file) return;
    (this.stream as fs.WriteStream).destroy();
    fs.rmSync(this.file.tmp, { force: true });
  }
}
