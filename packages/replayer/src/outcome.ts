import fs from 'node:fs';
import type { LoopEvent } from '@looptape/recording';
import { Occurrences } from './keys.js';
import type { ReplayResult, RunRequest, RunResponse } from './result.js';

type Fields = Omit<ReplayResult, 'responses' | 'requests' | 'unanswered' | 'stdout' | 'stderr' | 'errors'>;

/** What the program did, as ReplayResult wants it. */
export class Outcome {
  exitCode: number | null = null;
  written = false;
  private readonly inbound = new Map<number, { method: string; url: string; occurrence: number; over: boolean }>();
  private readonly arrivals = new Occurrences();
  private readonly responses: RunResponse[] = [];
  private readonly requests: RunRequest[] = [];
  private readonly errors: ReplayResult['errors'] = [];
  private stdout = '';
  private stderr = '';

  observe(e: LoopEvent): void {
    switch (e.kind) {
      case 'http.request':
        if (e.direction === 'in') this.inbound.set(e.exchange, { method: e.method, url: e.url, occurrence: this.arrivals.next(`${e.method} ${e.url}`), over: false });
        else this.requests.push({ method: e.method, url: e.url, t: e.t, scope: this.scopeOf(e.scope) });
        break;
      case 'http.response':
        if (e.direction === 'in') this.answered(e.exchange, { status: e.status, body: e.body, t: e.t });
        break;
      case 'http.abort':
        if (e.direction === 'in') this.answered(e.exchange, { status: 0, body: '', t: e.t, aborted: true });
        break;
      case 'console':
        this[e.stream] += e.text;
        break;
      case 'error.uncaught':
      case 'error.unhandled-rejection':
        this.errors.push({ kind: e.kind, name: e.name, message: e.message });
        break;
      case 'process.exit':
        this.exitCode = e.code;
        break;
      default:
        break;
    }
  }

  /** `METHOD URL` of an inbound exchange seen so far. */
  requestName(exchange: number | null): string | undefined {
    const r = exchange === null ? undefined : this.inbound.get(exchange);
    return r && `${r.method} ${r.url}`;
  }

  write(file: string, fields: Fields): void {
    this.written = true;
    const unanswered = [...this.inbound.values()].filter((r) => !r.over).map(({ method, url }) => ({ method, url }));
    const result: ReplayResult = { ...fields, responses: this.responses, requests: this.requests, unanswered, stdout: this.stdout, stderr: this.stderr, errors: this.errors };
    fs.writeFileSync(file, JSON.stringify(result));
  }

  private answered(exchange: number, answer: Omit<RunResponse, 'method' | 'url' | 'occurrence'>): void {
    const request = this.inbound.get(exchange);
    if (request) request.over = true;
    this.responses.push({ method: request?.method ?? '?', url: request?.url ?? '?', occurrence: request?.occurrence ?? 1, ...answer });
  }

  private scopeOf(exchange: number | null): RunRequest['scope'] {
    const r = exchange === null ? undefined : this.inbound.get(exchange);
    return r ? { method: r.method, url: r.url } : null;
  }
}
