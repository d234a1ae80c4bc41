import { createHash } from 'node:crypto';
import type { BodyEncoding, HttpRequest, TimerSet } from '@looptape/recording';

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

/** Counts occurrences per key: the n-th time a key is seen. */
export class Occurrences {
  private counts = new Map<string, number>();

  next(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}
