import type { Headers } from '@looptape/recording';

/** Node's rawHeaders ([name, value, name, value…]) as lower-cased names, repeated ones as arrays. */
export function fromRawHeaders(raw: readonly string[]): Headers {
  const out: Headers = {};
  for (let i = 0; i + 1 < raw.length; i += 2) add(out, raw[i].toLowerCase(), raw[i + 1]);
  return out;
}

/** A fetch Headers object, keeping repeated set-cookie headers apart. */
export function fromFetchHeaders(headers: globalThis.Headers): Headers {
  const out: Headers = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) out['set-cookie'] = cookies.length === 1 ? cookies[0] : cookies;
  return out;
}

/** The header block a ServerResponse wrote (`res._header`), as headers. */
export function fromHeaderBlock(block: string | null | undefined): Headers {
  const out: Headers = {};
  if (!block) return out;
  for (const line of block.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) add(out, line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}

/** OutgoingMessage.getHeaders() values as strings. */
export function fromOutgoing(headers: Record<string, number | string | string[] | undefined>): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

function add(out: Headers, name: string, value: string): void {
  const existing = out[name];
  if (existing === undefined) out[name] = value;
  else out[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}
