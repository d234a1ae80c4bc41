/**
 * PostgreSQL's frontend/backend protocol (version 3), read for people: what the program sent
 * as `Parse "SELECT … WHERE id=$1"`, `Bind [42]`, `Query "BEGIN"`, and what it read as
 * `3 rows [1, "a"]; SELECT 3; ready`, `ERROR 23505 duplicate key …`. Pure: bytes in, text out.
 */

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export interface PgMessage {
  /** The type byte, or '' for the untyped start-up messages. */
  type: string;
  body: Buffer;
  /** Where the message starts in the chunk (its type byte). */
  at: number;
}

/** Whether bytes start with a start-up message (SSL, GSS or cancel request included). */
export function isPgStartup(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || bytes[0] !== 0) return false;
  const code = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readInt32BE(4);
  return code === PROTOCOL_3 || code === SSL_REQUEST || code === GSSENC_REQUEST || code === CANCEL_REQUEST;
}

/** Whether bytes are whole typed messages whose lengths add up (or run past the chunk's end). */
export function looksLikePg(bytes: Uint8Array): boolean {
  if (isPgStartup(bytes)) return true;
  const { messages } = splitPg(bytes);
  return messages.length > 0 && messages.every((m) => /^[A-Za-z123]$/.test(m.type));
}

/** The messages in a chunk, and how many bytes were left over (a message cut by the chunk's end). */
export function splitPg(bytes: Uint8Array): { messages: PgMessage[]; rest: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: PgMessage[] = [];
  let at = 0;
  if (isPgStartup(buf)) {
    const length = buf.readInt32BE(0);
    messages.push({ type: '', body: buf.subarray(4, Math.min(length, buf.length)), at: 0 });
    at = length;
  }
  while (at + 5 <= buf.length) {
    const length = buf.readInt32BE(at + 1);
    if (length < 4 || at + 1 + length > buf.length) break;
    messages.push({ type: String.fromCharCode(buf[at]), body: buf.subarray(at + 5, at + 1 + length), at });
    at += 1 + length;
  }
  return { messages, rest: Math.max(0, buf.length - at) };
}

function cstrings(body: Buffer): string[] {
  return body.toString('utf8').split('\0');
}

function quote(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

/** Bind's parameters, as the program sent them (text format; binary ones as their size). */
function bindParams(body: Buffer, max: number): string {
  let at = body.indexOf(0) + 1;
  at = body.indexOf(0, at) + 1;
  const formats = body.readInt16BE(at);
  const codes = Array.from({ length: formats }, (_, i) => body.readInt16BE(at + 2 + i * 2));
  return values(body, at + 2 + formats * 2, max, (i) => (codes.length === 1 ? codes[0] : codes[i] ?? 0) === 1);
}

/**
 * Length-prefixed values from `at` (an Int16 count, then each an Int32 length, -1 for null, and
 * its bytes) as text: Bind's parameters, a DataRow's values.
 */
function values(body: Buffer, at: number, max: number, binary: (i: number) => boolean = () => false): string {
  const count = body.readInt16BE(at);
  at += 2;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = body.readInt32BE(at);
    at += 4;
    if (length < 0) out.push('null');
    else {
      const text = body.toString('utf8', at, at + length);
      out.push(binary(i) ? `<${length} bytes>` : /^-?\d+(\.\d+)?$/.test(text) ? text : quote(text, max));
      at += length;
    }
  }
  return `[${out.join(', ')}]`;
}

/** One message the program sent. */
function frontend(m: PgMessage, max: number): string {
  switch (m.type) {
    case '': {
      const code = m.body.readInt32BE(0);
      if (code === SSL_REQUEST) return 'SSLRequest';
      if (code === GSSENC_REQUEST) return 'GSSENCRequest';
      if (code === CANCEL_REQUEST) return 'CancelRequest';
      const pairs = cstrings(m.body.subarray(4)).filter(Boolean);
      const fields: string[] = [];
      for (let i = 0; i + 1 < pairs.length; i += 2) fields.push(`${pairs[i]}=${pairs[i + 1]}`);
      return `Startup ${fields.join(' ')}`;
    }
    case 'Q': return `Query ${quote(cstrings(m.body)[0], max)}`;
    case 'P': {
      const [name, text] = cstrings(m.body);
      return `Parse ${name ? `${name} ` : ''}${quote(text, max)}`;
    }
    case 'B': return `Bind ${bindParams(m.body, max)}`;
    case 'D': return 'Describe';
    case 'E': return 'Execute';
    case 'S': return 'Sync';
    case 'H': return 'Flush';
    case 'C': return 'Close';
    case 'X': return 'Terminate';
    case 'p': return 'Password <redacted>';
    case 'd': return `CopyData (${m.body.length} bytes)`;
    case 'c': return 'CopyDone';
    case 'f': return 'CopyFail';
    default: return `${m.type} (${m.body.length} bytes)`;
  }
}

const AUTH: Record<number, string> = { 0: 'AuthenticationOk', 3: 'AuthenticationCleartextPassword', 5: 'AuthenticationMD5Password', 10: 'AuthenticationSASL', 11: 'AuthenticationSASLContinue', 12: 'AuthenticationSASLFinal' };

/** The fields of an ErrorResponse or NoticeResponse: severity, code, message. */
function errorFields(body: Buffer): string {
  const fields = new Map<string, string>();
  for (const f of cstrings(body)) if (f) fields.set(f[0], f.slice(1));
  return `${fields.get('V') ?? fields.get('S') ?? 'ERROR'} ${fields.get('C') ?? ''} ${fields.get('M') ?? ''}`.replace(/\s+/g, ' ').trim();
}

/** What the program read: rows folded into a count and the first row, then tags and errors. */
function backend(messages: PgMessage[], max: number): string[] {
  const out: string[] = [];
  let rows = 0;
  let first = '';
  const flushRows = () => {
    if (rows > 0) out.push(`${rows} row${rows === 1 ? '' : 's'} ${first}`);
    rows = 0;
  };
  for (const m of messages) {
    if (m.type === 'D') {
      if (rows++ === 0) first = values(m.body, 0, max);
      continue;
    }
    flushRows();
    switch (m.type) {
      case 'R': out.push(AUTH[m.body.readInt32BE(0)] ?? 'Authentication'); break;
      case 'C': out.push(cstrings(m.body)[0]); break;
      case 'E': out.push(errorFields(m.body)); break;
      case 'N': out.push(`notice ${errorFields(m.body)}`); break;
      case 'Z': out.push('ready'); break;
      case 'A': {
        const [channel, payload] = cstrings(m.body.subarray(4));
        out.push(`notification ${channel} ${quote(payload ?? '', max)}`);
        break;
      }
      case 'S': case 'K': case '1': case '2': case 'T': case 'n': case 't': break;
      default: out.push(`${m.type} (${m.body.length} bytes)`);
    }
  }
  flushRows();
  return out;
}

/** What the program sent, message by message: `Parse "SELECT …"; Bind [42]; Execute; Sync`. */
export function describePgSent(bytes: Uint8Array, max = 200): string {
  const { messages, rest } = splitPg(bytes);
  const text = messages.map((m) => frontend(m, max)).join('; ');
  return rest > 0 ? `${text}${text ? ' ' : ''}(+${rest} bytes)` : text;
}

/** What the program read. */
export function describePgRead(bytes: Uint8Array, max = 200): string {
  const { messages, rest } = splitPg(bytes);
  const text = backend(messages, max).join('; ');
  return rest > 0 ? `${text}${text ? ' ' : ''}(+${rest} bytes)` : text;
}
