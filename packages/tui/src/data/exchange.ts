import type { Direction, HttpAbort, HttpError, HttpRequest, HttpResponse, LoopEvent } from '@looptape/recording';
import type { EventPages, EventSource } from './event-pages.js';
import { seek } from './seek.js';
import type { ScopeSummary } from '@looptape/recording';

/** One HTTP exchange as recorded: the request, then how it ended. */
export interface Exchange {
  exchange: number;
  direction: Direction;
  request?: HttpRequest;
  response?: HttpResponse;
  error?: HttpError;
  abort?: HttpAbort;
}

/**
 * Finds both halves of an exchange from any of its events. Inbound exchanges come
 * straight from the scopes summary; outbound ones are looked up around the event.
 */
export class ExchangeFinder {
  private readonly cache = new Map<string, Exchange>();

  constructor(
    private readonly source: EventSource,
    private readonly pages: EventPages,
    private readonly scopes: ReadonlyMap<number, ScopeSummary>,
  ) {}

  get(exchange: number, direction: Direction, nearSeq: number): Exchange {
    const key = `${direction}${exchange}`;
    let found = this.cache.get(key);
    if (!found) this.cache.set(key, (found = this.find(exchange, direction, nearSeq)));
    return found;
  }

  private find(exchange: number, direction: Direction, nearSeq: number): Exchange {
    const out: Exchange = { exchange, direction };
    const scope = direction === 'in' ? this.scopes.get(exchange) : undefined;
    const mine = (e: LoopEvent) => 'exchange' in e && e.exchange === exchange && 'direction' in e && e.direction === direction;
    const lastSeq = this.pages.lastSeq;
    const request = scope ? this.pages.at(scope.startSeq) : seek(this.source, { from: nearSeq + 1, dir: -1, kinds: ['http.request'], match: mine, lastSeq });
    if (request?.kind === 'http.request') out.request = request;
    const from = request?.seq ?? nearSeq;
    const end = scope && scope.endSeq !== null
      ? this.pages.at(scope.endSeq)
      : seek(this.source, { from, dir: 1, kinds: ['http.response', 'http.error', 'http.abort'], match: mine, lastSeq });
    if (end?.kind === 'http.response') out.response = end;
    else if (end?.kind === 'http.error') out.error = end;
    else if (end?.kind === 'http.abort') out.abort = end;
    return out;
  }
}
