import { encodeBody } from '@looptape/recording';
import type { Session } from './session.js';

/** Reads a body as it arrives, noting each chunk (a body delivered in parts is several deliveries). */
export async function readChunks(body: Response, parts: BodyParts): Promise<Uint8Array> {
  if (!body.body) return new Uint8Array();
  const reader = body.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.add(value);
  }
  return parts.end();
}

/** Check phases of the event loop seen since a head asked; odd while one is awaited. */
let turn = 0;

/**
 * The current turn, counted by one immediate per turn shared by every head that came in it
 * (not one per head: a busy service gets many heads in one turn).
 */
function currentTurn(session: Session): number {
  if (turn % 2 === 0) {
    turn++;
    session.own(() => setImmediate(() => turn++));
  }
  return turn;
}

/**
 * The chunks of one response body. Each chunk takes its place in the order when it arrives;
 * they are recorded as `http.body` events when there is more than one, or when the only one
 * came in a later turn of the event loop than the head: a program can act between the two, so
 * replay must not merge them.
 */
export class BodyParts {
  private chunks: Array<{ bytes: Buffer; at: ReturnType<Session['reserve']>; withHead: boolean }> = [];
  /**
   * The turn of the event loop the head came in (the parts object is made at the head): what
   * arrives before the next check phase came in the same read of the socket as the head.
   */
  private readonly headTurn: number;

  constructor(private readonly session: Session, private readonly exchange: number, private readonly scope: number | null) {
    this.headTurn = currentTurn(session);
  }

  add(chunk: unknown, encoding?: BufferEncoding): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array);
    if (bytes.length > 0) this.chunks.push({ bytes, at: this.session.reserve(), withHead: turn === this.headTurn });
  }

  /** The whole body; emits the chunks' events (and the end's, unless it failed), or gives their places back. */
  end(failed = false): Buffer {
    const many = this.chunks.length > 1 || (this.chunks.length === 1 && !this.chunks[0].withHead);
    if (many && !failed) this.session.emit({ kind: 'http.body', ...this.session.here(), scope: this.scope, exchange: this.exchange, direction: 'out', chunk: '', end: true });
    for (const { bytes, at } of this.chunks) {
      if (!many) {
        this.session.cancel(at.seq);
        continue;
      }
      const { body, bodyEncoding } = encodeBody(bytes);
      this.session.emitReserved({ kind: 'http.body', ...at, scope: this.scope, process: 0, exchange: this.exchange, direction: 'out', chunk: body, bodyEncoding });
    }
    return Buffer.concat(this.chunks.map((c) => c.bytes));
  }
}

export async function readAll(body: Request | Response | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  return new Uint8Array(await body.arrayBuffer());
}
