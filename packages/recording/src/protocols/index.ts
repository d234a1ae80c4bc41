import type { NetProtocol } from '../events.js';
import { describePgRead, describePgSent, isPgStartup, looksLikePg, splitPg } from './pg.js';
import { describeRespCommands, describeRespReplies, looksLikeResp, parseResp } from './resp.js';

export { parseResp, respSecretArgs, RespError, type RespValue } from './resp.js';
export { splitPg } from './pg.js';

/** A connection's protocol, told from the first bytes the program wrote on it. */
export function sniffProtocol(firstWrite: Uint8Array): NetProtocol {
  if (isPgStartup(firstWrite)) return 'pg';
  if (firstWrite[0] === 0x2a /* '*' */ && looksLikeResp(firstWrite)) return 'redis';
  return 'tcp';
}

/** A chunk's protocol when its connection's is not at hand: from the chunk alone. */
export function guessProtocol(bytes: Uint8Array): NetProtocol {
  if (looksLikeResp(bytes)) return 'redis';
  if (looksLikePg(bytes)) return 'pg';
  return 'tcp';
}

/**
 * A chunk for people: commands and replies where the protocol is known (`GET session:abc`,
 * `Parse "SELECT …"; Bind [42]`), else its text where printable, else its bytes in hex.
 */
export function describeChunk(bytes: Uint8Array, direction: 'sent' | 'read', protocol: NetProtocol = guessProtocol(bytes), max = 200): string {
  try {
    if (protocol === 'redis') return direction === 'sent' ? describeRespCommands(bytes, max) : describeRespReplies(bytes, max);
    if (protocol === 'pg') return direction === 'sent' ? describePgSent(bytes, max) : describePgRead(bytes, max);
  } catch {
    // a chunk that does not parse as its protocol (cut in a place the reader does not expect): shown as bytes
  }
  return describeBytes(bytes, max);
}

/** Bytes as text where printable, else hex: `"PING\r\n"`, `<00 00 00 08 04 d2 16 2f>`. */
export function describeBytes(bytes: Uint8Array, max = 200): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  if (/^[\x20-\x7e\r\n\t]*$/.test(text)) return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  const hex = buf.subarray(0, Math.ceil(max / 3)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return `<${hex}${buf.length > Math.ceil(max / 3) ? ' …' : ''}> (${buf.length} bytes)`;
}
export { redactSentChunk, type Placeholder } from './secrets.js';

/**
 * What a chunk read answers, for explanations: the chunks the program wrote before it on that
 * connection, as the statement they make — `pg "SELECT price FROM seats WHERE id = $1" ["12A"]`,
 * `redis GET session:abc`.
 */
export function questionLabel(writes: readonly Uint8Array[], max = 80): string {
  if (writes.length === 0) return 'nothing yet';
  const bytes = Buffer.concat(writes.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)));
  const protocol = isPgStartup(bytes) || looksLikePg(bytes) ? 'pg' : guessProtocol(bytes);
  if (protocol !== 'pg') return `${protocol} ${describeChunk(bytes, 'sent', protocol, max)}`;
  const parts = describePgSent(bytes, max).split('; ');
  const statement = parts.filter((p) => /^(Parse|Query|Bind) /.test(p)).map((p) => p.replace(/^(Parse|Query|Bind) /, ''));
  return `pg ${statement.length > 0 ? statement.join(' ') : parts[0]}`;
}

/**
 * A chunk the program wrote, as the statement it makes, without its values: `P:SELECT …` for
 * a PostgreSQL Parse (Bind's parameters left out), `GET` for a Redis command. Two writes with
 * one key ask the same thing of other values (used to answer a reordered run's queries).
 */
export function statementKey(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0x2a && looksLikeResp(buf)) {
    return parseResp(buf).values.map((v) => (Array.isArray(v) ? String(v[0]).toUpperCase() : '?')).join(' ');
  }
  if (looksLikePg(buf)) {
    return splitPg(buf).messages.map((m) => (m.type === 'P' || m.type === 'Q' ? `${m.type}:${m.body.toString('utf8').split('\0')[m.type === 'P' ? 1 : 0]}` : m.type || 'startup')).join(' ');
  }
  return buf.toString('hex');
}
