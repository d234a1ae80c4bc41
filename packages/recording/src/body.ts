import type { BodyEncoding, Headers } from './events.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface EncodedBody {
  body: string;
  bodyEncoding?: BodyEncoding;
}

/** Text bodies stay readable; compressed or non-UTF-8 bodies are stored as base64. */
export function encodeBody(bytes: Uint8Array, headers: Headers = {}, decoded = false): EncodedBody {
  if (bytes.length === 0) return { body: '' };
  const encoding = headerValue(headers, 'content-encoding');
  if (!encoding || encoding === 'identity' || decoded) {
    try {
      return { body: utf8.decode(bytes) };
    } catch {
      // not UTF-8: fall through to base64
    }
  }
  return { body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), bodyEncoding: 'base64' };
}

export function decodeBody(e: EncodedBody): Buffer {
  return e.bodyEncoding === 'base64' ? Buffer.from(e.body, 'base64') : Buffer.from(e.body, 'utf8');
}

/** The first value of a header, by case-insensitive name. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
