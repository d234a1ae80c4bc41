import fs from 'node:fs';
import type { LoopEvent } from '@looptape/recording';
import type { ReplayResult } from './result.js';

/** What the program did, as ReplayResult wants it. */
export class Outcome {
  exitCode: number | null = null;
  written = false;
  private readonly requests = new Map<number, { method: string; url: string }>();
  private readonly responses: ReplayResult['responses'] = [];
  private readonly errors: ReplayResult['errors'] = [];
  private stdout = '';
  private stderr = '';

  observe(e: LoopEvent): void {
    if (e.kind === 'http.request' && e.direction === 'in') this.requests.set(e.exchange, { method: e.method, url: e.url });
    else if (e.kind === 'http.response' && e.direction === 'in') {
      const request = this.requests.get(e.exchange);
      this.responses.push({ method: request?.method ?? '?', url: request?.url ?? '?', status: e.status, body: e.body });
    } else if (e.kind === 'console') this[e.stream] += e.text;
    else if (e.kind === 'error.uncaught' || e.kind === 'error.unhandled-rejection') this.errors.push({ kind: e.kind, name: e.name, message: e.message });
    else if (e.kind === 'process.exit') this.exitCode = e.code;
  }

  write(file: string, fields: Omit<ReplayResult, 'responses' | 'stdout' | 'stderr' | 'errors'>): void {
    this.written = true;
    const result: ReplayResult = { ...fields, responses: this.responses, stdout: this.stdout, stderr: this.stderr, errors: this.errors };
    fs.writeFileSync(file, JSON.stringify(result));
  }
}
