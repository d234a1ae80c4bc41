/**
 * Redis's RESP (2 and 3), read for people: a command as `GET session:abc`, a reply as
 * `"{…}"`, `OK`, `(error) ERR …`, `3`, `nil` or `[message, news, "hi"]`. Pure: bytes in, text out.
 */

export type RespValue = string | number | null | boolean | RespError | RespValue[];
export class RespError {
  constructor(readonly message: string) {}
}

const SIMPLE = new Set(['+', '-', ':', '_', '#', ',', '(']);
const AGGREGATE = new Set(['*', '%', '~', '>', '|']);
const BULK = new Set(['$', '=', '!']);

/** Whether bytes start like RESP (a type byte RESP has, then a line). */
export function looksLikeResp(bytes: Uint8Array): boolean {
  if (bytes.length < 3) return false;
  const type = String.fromCharCode(bytes[0]);
  return (SIMPLE.has(type) || AGGREGATE.has(type) || BULK.has(type)) && Buffer.from(bytes.subarray(0, 64)).includes('\r\n');
}

/** Every complete value in the bytes, and how many bytes were left over (a value cut by the chunk's end). */
export function parseResp(bytes: Uint8Array): { values: RespValue[]; ends: number[]; rest: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: RespValue[] = [];
  const ends: number[] = [];
  let at = 0;
  for (;;) {
    const read = readValue(buf, at);
    if (!read) break;
    values.push(read.value);
    ends.push((at = read.end));
  }
  return { values, ends, rest: buf.length - at };
}

function readLine(buf: Buffer, at: number): { line: string; end: number } | undefined {
  const cr = buf.indexOf('\r\n', at);
  return cr < 0 ? undefined : { line: buf.toString('utf8', at, cr), end: cr + 2 };
}

function readValue(buf: Buffer, at: number): { value: RespValue; end: number } | undefined {
  if (at >= buf.length) return undefined;
  const type = String.fromCharCode(buf[at]);
  const head = readLine(buf, at + 1);
  if (!head) return undefined;
  if (SIMPLE.has(type)) return { value: simple(type, head.line), end: head.end };
  const n = Number(head.line);
  if (!Number.isInteger(n)) return undefined;
  if (BULK.has(type)) {
    if (n < 0) return { value: null, end: head.end };
    if (head.end + n + 2 > buf.length) return undefined;
    const text = buf.toString('utf8', head.end, head.end + n);
    return { value: type === '!' ? new RespError(text) : text, end: head.end + n + 2 };
  }
  if (!AGGREGATE.has(type)) return undefined;
  if (n < 0) return { value: null, end: head.end };
  const items: RespValue[] = [];
  let end = head.end;
  for (let i = 0; i < (type === '%' || type === '|' ? n * 2 : n); i++) {
    const item = readValue(buf, end);
    if (!item) return undefined;
    items.push(item.value);
    end = item.end;
  }
  return { value: items, end };
}

function simple(type: string, line: string): RespValue {
  switch (type) {
    case '-': return new RespError(line);
    case ':': return Number(line);
    case '_': return null;
    case '#': return line === 't';
    default: return line;
  }
}

/** Commands the program sent, one per value: `GET session:abc`, `SET k "{…}" EX 60`. */
export function describeRespCommands(bytes: Uint8Array, max = 200): string {
  const { values, rest } = parseResp(bytes);
  const text = values.map((v) => (Array.isArray(v) ? v.map((a, i) => (i === 0 ? String(a) : show(a, max))).join(' ') : show(v, max))).join('; ');
  return withRest(text, rest);
}

/** Replies the program read, one per value. */
export function describeRespReplies(bytes: Uint8Array, max = 200): string {
  const { values, rest } = parseResp(bytes);
  return withRest(values.map((v) => show(v, max)).join('; '), rest);
}

function withRest(text: string, rest: number): string {
  return rest > 0 ? `${text}${text ? ' ' : ''}(+${rest} bytes)` : text;
}

function show(v: RespValue, max: number): string {
  if (v === null) return 'nil';
  if (v instanceof RespError) return `(error) ${v.message}`;
  if (Array.isArray(v)) return `[${v.map((x) => show(x, max)).join(', ')}]`;
  if (typeof v !== 'string') return String(v);
  const quoted = /^[\w:.\-/@]+$/.test(v) && v !== 'nil' ? v : JSON.stringify(v);
  return quoted.length > max ? `${quoted.slice(0, max - 1)}…` : quoted;
}

/**
 * Where a command carries a password: `AUTH [user] password`, `HELLO ver AUTH user password`,
 * `MIGRATE … AUTH password` / `AUTH2 user password`. The arguments' indexes, by command.
 */
export function respSecretArgs(command: readonly string[]): number[] {
  const name = command[0]?.toUpperCase();
  if (name === 'AUTH') return command.length >= 3 ? [1, 2] : [1];
  const out: number[] = [];
  for (let i = 1; i < command.length; i++) {
    const arg = command[i].toUpperCase();
    if (name === 'HELLO' && arg === 'AUTH') out.push(i + 1, i + 2);
    if (name === 'MIGRATE' && arg === 'AUTH') out.push(i + 1);
    if (name === 'MIGRATE' && arg === 'AUTH2') out.push(i + 1, i + 2);
  }
  return out.filter((i) => i < command.length);
}
