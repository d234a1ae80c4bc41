import { createHash } from 'node:crypto';
import type { BodyEncoding, HttpRequest, LoopEvent, TimerSet } from '@looptape/recording';

/** Which exchange an outbound request is, across runs: method, URL and (a digest of) the body. */
export function outboundKey(method: string, url: string, body: string, encoding?: BodyEncoding): string {
  return body ? `${method} ${url} body:${digest(withoutBoundary(body, encoding))}` : `${method} ${url}`;
}

const BOUNDARY = /^--([^\r\n]{1,70})\r\n/;

/**
 * A multipart body with its boundary replaced by a fixed one. The boundary is random (fetch
 * draws it inside Node, from Math.random, where the tape does not reach), so it does not say
 * which request a body is; the parts do.
 */
export function withoutBoundary(body: string, encoding?: BodyEncoding): string {
  const text = encoding === 'base64' ? Buffer.from(body, 'base64').toString('latin1') : body;
  const boundary = BOUNDARY.exec(text)?.[1];
  if (!boundary || !text.endsWith(`--${boundary}--\r\n`)) return body;
  return text.split(`--${boundary}`).join('--looptape-boundary');
}

export function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

/** Which inbound request: method and URL (its body does not decide who it is). */
export function inboundKey(e: Pick<HttpRequest, 'method' | 'url'>): string {
  return `${e.method} ${e.url}`;
}

/** Which timer: its API and delay (the site may differ between machines and after edits). */
export function timerKey(e: Pick<TimerSet, 'api' | 'delay'>): string {
  return `${e.api}(${e.delay})`;
}

/** `key#occurrence` (a live request's id) split into its key and occurrence. */
export function splitId(id: string): [string, number] {
  const at = id.lastIndexOf('#');
  return [id.slice(0, at), Number(id.slice(at + 1))];
}

/** Counts occurrences per key: the n-th time a key is seen. */
export class Occurrences {
  private counts = new Map<string, number>();

  next(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}

/** Which raw client connection, across runs: its address; its occurrence is the how-manieth opened there. */
export function netKey(host: string, port: number): string {
  return `tcp ${host}:${port}`;
}

/** Whether a delivery's key names a raw client connection (not an HTTP exchange). */
export function isNetKey(key: string): boolean {
  return key.startsWith('tcp ');
}

/**
 * The key and occurrence of every raw connection of a recording, by its connection number.
 * Numbers are given when the program calls connect(), so occurrences follow the calls, not the
 * order the connections were established in.
 */
export function netConnections(events: readonly LoopEvent[]): Map<number, { key: string; occurrence: number }> {
  const address = new Map<number, string>();
  for (const e of events) {
    if (e.kind === 'net.connect' || (e.kind === 'net.error' && e.host !== undefined)) address.set(e.connection, netKey(e.host!, e.port!));
  }
  const occurrences = new Occurrences();
  const out = new Map<number, { key: string; occurrence: number }>();
  for (const connection of [...address.keys()].sort((a, b) => a - b)) {
    const key = address.get(connection)!;
    out.set(connection, { key, occurrence: occurrences.next(key) });
  }
  return out;
}
