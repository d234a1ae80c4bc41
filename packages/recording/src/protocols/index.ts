import type { NetProtocol } from '../events.js';
import { describePgRead, describePgSent, isPgStartup, looksLikePg } from './pg.js';
import { describeRespCommands, describeRespReplies, looksLikeResp } from './resp.js';

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
