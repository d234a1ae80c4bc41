import { createHash } from 'node:crypto';
import type { HttpRequest, TimerSet } from '@looptape/recording';

/** Which exchange an outbound request is, across runs: method, URL and (a digest of) the body. */
export function outboundKey(method: string, url: string, body: string): string {
  return body ? `${method} ${url} body:${digest(body)}` : `${method} ${url}`;
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
