import zlib from 'node:zlib';
import { decodeBody, headerValue, type HttpError, type HttpResponse } from '@looptape/recording';

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The recorded response as a fetch Response the interceptors hand to the program.
 * A body fetch stored decoded is compressed again, so the client decodes it exactly as it
 * did when recording (a decoded body under `content-encoding: gzip` would fail in the client).
 */
export function toResponse(recorded: HttpResponse, stream?: ReadableStream<Uint8Array>): Response {
  let body: Uint8Array = decodeBody(recorded);
  const headers = new Headers();
  const encoding = headerValue(recorded.headers, 'content-encoding')?.toLowerCase();
  const recompress = recorded.bodyDecoded && encoding !== undefined;
  if (recompress) body = compress(body, encoding);
  for (const [name, value] of Object.entries(recorded.headers)) {
    if (name === 'transfer-encoding' || (recompress && name === 'content-length')) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const payload = NULL_BODY.has(recorded.status) ? null : (stream ?? (body as Uint8Array<ArrayBuffer>));
  return new Response(payload, { status: recorded.status, statusText: recorded.statusText, headers });
}

function compress(body: Uint8Array, encoding: string): Uint8Array {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gzipSync(body);
    case 'deflate':
      return zlib.deflateSync(body);
    case 'br':
      return zlib.brotliCompressSync(body);
    default:
      return body;
  }
}

/** Whether a body can be handed over in its recorded parts (a body fetch decoded cannot: it is compressed again whole). */
export function canStream(recorded: HttpResponse): boolean {
  return !(recorded.bodyDecoded && headerValue(recorded.headers, 'content-encoding')) && !NULL_BODY.has(recorded.status);
}

/**
 * The recorded network error, shaped as the client reports it: fetch (undici) rejects with a
 * TypeError whose `cause` carries the code; http.request emits an Error with the code on it.
 */
export function toError(recorded: HttpError, client: 'fetch' | 'http' = 'http'): Error {
  // An aborted or timed-out fetch rejects with a DOMException of that name, not a network error.
  if (recorded.code === 'TimeoutError' || recorded.code === 'AbortError') return new DOMException(recorded.message, recorded.code);
  const coded = Object.assign(new Error(recorded.message), { code: recorded.code });
  if (client === 'fetch') return new TypeError(recorded.message, { cause: coded });
  return recorded.code ? coded : new TypeError(recorded.message);
}
