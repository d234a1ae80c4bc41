import { isNetKey, type Delivery } from '@looptape/replayer';
import type { Move } from './moves.js';

/**
 * The shrunk difference as one sentence in the user's terms, e.g.
 * `fails when GET /stock?item=widget answers before GET /price?item=widget (for GET /quote?item=widget&qty=5)`.
 */
export function explain(moves: readonly Move[]): string {
  if (moves.length === 0) return 'fails in the recorded order already';
  return `fails when ${moves.map(clause).join('; and ')}`;
}

function clause(m: Move): string {
  const scopes = [...new Set([m.moved.scope, m.before?.scope].filter((s): s is string => Boolean(s)))];
  const scope = scopes.length ? ` (for ${scopes.join(', ')})` : '';
  // An injected fault that fails the program wherever it comes: it needs no order.
  if (!m.before && m.moved.fault) return `${happens(m.moved)}${m.moved.fault === 'error' ? ' instead of answering' : ''}${scope}`;
  if (!m.before) return `${happens(m.moved)} after everything else${scope}`;
  return `${happens(m.moved)} before ${happens(m.before)}${scope}`;
}

/** A delivery as a clause: what happens. */
export function happens(d: Delivery): string {
  const what = target(d.key);
  const nth = d.occurrence > 1 ? ` (${ordinal(d.occurrence)} time)` : '';
  switch (d.kind) {
    case 'response':
      return `${what}${nth} answers`;
    case 'body':
      if (d.end) return `the body of ${what}${nth} ends`;
      return (d.chunk ?? 1) === 1 ? `the body of ${what}${nth} arrives` : `part ${d.chunk} of the body of ${what}${nth} arrives`;
    case 'error':
      if (isNetKey(d.key)) return `the connection to ${d.key.slice(4)}${nth} fails`;
      return d.fault ? `${what}${nth} fails (connection reset)` : `${what}${nth} fails`;
    case 'connect':
      return isNetKey(d.key) ? `the connection to ${d.key.slice(4)}${nth} opens` : `the socket of ${what}${nth} connects`;
    case 'secure':
      return `the TLS handshake of ${what}${nth} ends`;
    case 'data':
      return d.what ? `the answer to ${d.what} arrives` : `chunk ${d.chunk ?? 1} of the connection to ${d.key.slice(4)}${nth} arrives`;
    case 'close':
      return `${d.key.slice(4)} closes the connection${nth}`;
    case 'request':
      return d.fault === 'retry' ? `a client sends ${what} again` : `the client's ${what}${nth} arrives`;
    case 'abort':
      return `the client of ${what}${nth} goes away`;
    case 'timer':
      return `${d.key}${d.site ? ` set at ${d.site.replace(/:\d+$/, '')}` : ''} fires${d.occurrence > 1 ? ` (${ordinal(d.occurrence)} firing)` : ''}`;
    case 'signal':
      return `${d.key} arrives`;
    default:
      return `${d.kind} ${d.key}`;
  }
}

/** `GET http://127.0.0.1:4000/price?item=x body:1a2b3c4d` → `GET /price?item=x`. */
function target(key: string): string {
  const [method, url] = key.replace(/ body:[0-9a-f]{8}$/, '').split(' ', 2);
  if (!url) return key;
  try {
    const u = new URL(url);
    return `${method} ${u.pathname}${u.search}`;
  } catch {
    return `${method} ${url}`;
  }
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
