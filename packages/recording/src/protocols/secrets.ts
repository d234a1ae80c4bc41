import { parseResp, respSecretArgs } from './resp.js';
import { splitPg } from './pg.js';

/** What stands in for a secret (the same secret, the same placeholder). */
export type Placeholder = (secret: string) => string;

/**
 * A chunk the program sent, with the passwords its protocol carries replaced: Redis `AUTH` /
 * `HELLO … AUTH` arguments, PostgreSQL's password messages (cleartext, MD5, SASL/SCRAM).
 * Lengths are rewritten so that the chunk still reads as its protocol. Unchanged (the same
 * Buffer) when it holds none. SCRAM and MD5 messages all become `fixed`.
 */
export function redactSentChunk(bytes: Buffer, placeholder: Placeholder, fixed = '<redacted:password>'): Buffer {
  if (bytes[0] === 0x2a /* '*' */) return redactResp(bytes, placeholder);
  if (bytes.length >= 5 && bytes[0] === 0x70 /* 'p' */) return redactPg(bytes, placeholder, fixed);
  return bytes;
}

function redactResp(bytes: Buffer, placeholder: Placeholder): Buffer {
  const { values, ends } = parseResp(bytes);
  const parts: Buffer[] = [];
  let changed = false;
  values.forEach((value, i) => {
    const start = i === 0 ? 0 : ends[i - 1];
    const args = Array.isArray(value) && value.every((a) => typeof a === 'string') ? (value as string[]) : [];
    const secret = respSecretArgs(args);
    if (secret.length === 0) {
      parts.push(bytes.subarray(start, ends[i]));
      return;
    }
    changed = true;
    const redacted = args.map((a, n) => (secret.includes(n) ? placeholder(a) : a));
    parts.push(Buffer.from(`*${redacted.length}\r\n${redacted.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
  });
  if (!changed) return bytes;
  return Buffer.concat([...parts, bytes.subarray(ends.at(-1) ?? 0)]);
}

function redactPg(bytes: Buffer, placeholder: Placeholder, fixed: string): Buffer {
  const { messages, rest } = splitPg(bytes);
  if (!messages.some((m) => m.type === 'p')) return bytes;
  const parts = messages.map((m) => {
    if (m.type !== 'p') return bytes.subarray(m.at, m.at + 5 + m.body.length);
    // A cleartext password ends with a NUL: a secret like any other (the same on every
    // connection, so the same placeholder). SCRAM's messages and an MD5 hash differ on each
    // connection (nonces, salts), so numbered placeholders would depend on the order of
    // connections: they get one fixed placeholder.
    const text = m.body.toString('latin1').replace(/\0$/, '');
    const hashed = /^(SCRAM-|[a-z]=)/.test(text) || /^md5[0-9a-f]{32}$/.test(text);
    const body = Buffer.from(`${hashed ? fixed : placeholder(text)}\0`, 'latin1');
    const head = Buffer.alloc(5);
    head.write('p', 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  });
  return Buffer.concat([...parts, bytes.subarray(bytes.length - rest)]);
}
