/** Collects the bytes written through write()/end()/push() without changing what they do. */
export class ByteCollector {
  private parts: Buffer[] = [];

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === null || chunk === undefined || typeof chunk === 'function') return;
    if (typeof chunk === 'string') this.parts.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) this.parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}
