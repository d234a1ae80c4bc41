import { LOOPTAPE_VERSION, type Headers, type HttpError, type HttpRequest, type HttpResponse, type LoopEvent, type RecordingReader } from '@looptape/recording';
import { headerValues, requestCookies, responseCookies } from './har-cookies.js';
import type { Sink } from './sink.js';

const EXCHANGE_KINDS = ['http.request', 'http.response', 'http.error', 'http.abort'] as const;

/** How an exchange ended, when it did not end with a response. */
type Ending = { kind: 'response'; event: HttpResponse } | { kind: 'error'; event: HttpError } | { kind: 'abort'; t: number } | { kind: 'open' };

/**
 * Writes every inbound and outbound HTTP exchange of a recording as HAR 1.2, with its
 * headers and bodies as recorded (redacted values stay placeholders) and its timings: wait
 * from request to response head, receive from head to the end of a body delivered in parts.
 * Entries are written as their exchange ends; only exchanges in flight are held.
 */
export async function writeHar(reader: RecordingReader, sink: Sink): Promise<void> {
  const bodyEnds = new Map<number, number>();
  for (const e of reader.events({ kinds: ['http.body'] })) if (e.kind === 'http.body' && e.end) bodyEnds.set(e.exchange, e.t);
  // A recording made by hand (a benchmark's) may lack its wall-clock start: the epoch stands in.
  const origin = Number.isFinite(reader.meta.startEpochMs) ? reader.meta.startEpochMs : Date.parse(reader.meta.startTime) || 0;
  const creator = { name: 'looptape', version: LOOPTAPE_VERSION, comment: reader.meta.argv.join(' ') };
  await sink.write(`{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[\n`);
  let first = true;
  const put = async (request: HttpRequest, ending: Ending) => {
    await sink.write(`${first ? '' : ',\n'}${JSON.stringify(harEntry(origin, request, ending, bodyEnds))}`);
    first = false;
  };
  const open = new Map<number, HttpRequest>();
  for (const e of reader.events({ kinds: [...EXCHANGE_KINDS] })) {
    if (e.kind === 'http.request') {
      open.set(e.exchange, e);
      continue;
    }
    const request = 'exchange' in e ? open.get(e.exchange) : undefined;
    if (!request) continue;
    open.delete(request.exchange);
    await put(request, ending(e));
  }
  for (const request of open.values()) await put(request, { kind: 'open' });
  await sink.write('\n]}}\n');
}

function ending(e: LoopEvent): Ending {
  if (e.kind === 'http.response') return { kind: 'response', event: e };
  if (e.kind === 'http.error') return { kind: 'error', event: e };
  return { kind: 'abort', t: e.t };
}

function harEntry(origin: number, request: HttpRequest, end: Ending, bodyEnds: Map<number, number>): Record<string, unknown> {
  const response = end.kind === 'response' ? end.event : null;
  const headT = response?.t ?? (end.kind === 'error' ? end.event.t : end.kind === 'abort' ? end.t : request.t);
  const lastT = Math.max(headT, bodyEnds.get(request.exchange) ?? headT);
  const url = absoluteUrl(request);
  return {
    startedDateTime: new Date(origin + request.t).toISOString(),
    time: round(lastT - request.t),
    request: {
      method: request.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: requestCookies(request.headers),
      headers: harHeaders(request.headers),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      ...(request.body ? { postData: { mimeType: header(request.headers, 'content-type') ?? 'application/octet-stream', text: request.body, ...(request.bodyEncoding === 'base64' ? { _encoding: 'base64' } : {}) } } : {}),
      headersSize: -1,
      bodySize: bodyBytes(request.body, request.bodyEncoding),
    },
    response: response ? harResponse(response) : missingResponse(end),
    cache: {},
    timings: { send: 0, wait: round(headT - request.t), receive: round(lastT - headT) },
    _looptape: { exchange: request.exchange, direction: request.direction, seq: request.seq, scope: request.scope, ended: end.kind },
  };
}

function harResponse(r: HttpResponse): Record<string, unknown> {
  const size = bodyBytes(r.body, r.bodyEncoding);
  return {
    status: r.status,
    statusText: r.statusText ?? '',
    httpVersion: 'HTTP/1.1',
    cookies: responseCookies(r.headers),
    headers: harHeaders(r.headers),
    content: { size, mimeType: header(r.headers, 'content-type') ?? 'application/octet-stream', text: r.body, ...(r.bodyEncoding === 'base64' ? { encoding: 'base64' } : {}) },
    redirectURL: header(r.headers, 'location') ?? '',
    headersSize: -1,
    bodySize: size,
  };
}

/** An exchange that failed, whose client went away, or that never ended: HAR's status 0, and why. */
function missingResponse(end: Ending): Record<string, unknown> {
  const why = end.kind === 'error' ? `failed: ${end.event.code ? `${end.event.code} ` : ''}${end.event.message}` : end.kind === 'abort' ? 'the client went away' : 'never answered in the recording';
  return { status: 0, statusText: '', httpVersion: 'HTTP/1.1', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _error: why };
}

/** Inbound requests carry a path: the host they were sent to comes from their Host header (or the port they arrived on). */
function absoluteUrl(request: HttpRequest): string {
  if (/^[a-z]+:\/\//i.test(request.url)) return request.url;
  const host = header(request.headers, 'host') ?? `127.0.0.1${request.port ? `:${request.port}` : ''}`;
  return `http://${host}${request.url.startsWith('/') ? '' : '/'}${request.url}`;
}

function harHeaders(headers: Headers): Array<{ name: string; value: string }> {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })));
}

function header(headers: Headers, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

function bodyBytes(body: string, encoding?: string): number {
  return Buffer.byteLength(body, encoding === 'base64' ? 'base64' : 'utf8');
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
