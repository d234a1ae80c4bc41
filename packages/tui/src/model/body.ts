import { headerValue, type BodyEncoding, type Headers } from '@looptape/recording';
import type { Line } from './lines.js';

/** Headers, one per line, sorted by name. */
export function headerLines(headers: Headers, indent = '  '): Line[] {
  return Object.keys(headers).sort().flatMap((name) => {
    const value = headers[name];
    return (Array.isArray(value) ? value : [value]).map((v) => ({ text: `${indent}${name}: ${v}`, style: 'dim' as const }));
  });
}

/**
 * A body as lines: JSON pretty-printed, text as it is, binary as its size and the
 * start of its base64.
 */
export function bodyLines(body: string, encoding: BodyEncoding | undefined, headers: Headers, indent = '  '): Line[] {
  if (!body) return [{ text: `${indent}(empty body)`, style: 'dim' }];
  if (encoding === 'base64') {
    const bytes = Buffer.from(body, 'base64').length;
    const how = headerValue(headers, 'content-encoding');
    return [
      { text: `${indent}(${bytes} bytes${how ? `, ${how}` : ''}, shown as base64)`, style: 'dim' },
      ...body.slice(0, 240).match(/.{1,60}/g)!.map((chunk) => ({ text: indent + chunk })),
    ];
  }
  const pretty = prettyJson(body, headers);
  return (pretty ?? body).split('\n').map((text) => ({ text: indent + text }));
}

function prettyJson(body: string, headers: Headers): string | undefined {
  const type = headerValue(headers, 'content-type') ?? '';
  const looksJson = /json/i.test(type) || /^\s*[[{]/.test(body);
  if (!looksJson) return undefined;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return undefined;
  }
}
