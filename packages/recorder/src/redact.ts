import { decodeBody, encodeBody, redactSentChunk, type Headers, type LoopEvent, type NetWrite } from '@looptape/recording';
import { compressedText, recompress } from './compressed.js';

/** Header names whose values are secrets unless told otherwise. */
export const DEFAULT_REDACTED = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

const PLACEHOLDER = /^<redacted:[^>]+>$/;
const SECRET_ENV = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|COOKIE|AUTH)/i;
const URL_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i;
/**
 * Shorter secrets ("k", a cookie value "1") would be found all over the recording, inside
 * header names and ids: they are redacted only where they stand (their header), not searched for.
 */
const MIN_PART = 6;

/**
 * Replaces secrets with consistent placeholders (the same secret, the same placeholder)
 * wherever they appear: headers, URLs, bodies, console output, error messages.
 * Cookie values and bearer tokens are replaced inside their header, so that a cookie the
 * program set comes back, in replay, as the placeholder it was given.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();
  private readonly shortSecrets = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly headers: Set<string>;
  private readonly fields: Set<string>;
  /** Long secrets as one pattern (longest first), and those added since it was built. */
  private pattern: RegExp | undefined;
  private recent: string[] = [];
  /** Secrets learned since the last rewrite(). */
  private learned: string[] = [];

  constructor(names: readonly string[] = []) {
    const all = [...DEFAULT_REDACTED, ...names].map((n) => n.toLowerCase());
    this.headers = new Set(all);
    this.fields = new Set(names.map((n) => n.toLowerCase()));
  }

  get names(): string[] {
    return [...this.headers];
  }

  /** Redacts a batch of events in place: first learns the batch's secrets, then replaces them everywhere. */
  apply(events: LoopEvent[]): void {
    for (const e of events) {
      if (e.kind === 'net.write') this.redactSent(e);
      if (e.kind === 'http.request') this.learnUrl(e.url);
      if (e.kind === 'http.request' || e.kind === 'http.response') this.learn(e.headers, compressedText(e) ?? e.body, compressedText(e) === undefined ? e.bodyEncoding : 'utf8');
      else if (e.kind === 'nondet' && typeof e.value === 'string' && e.source.startsWith('process.env.')) this.learnEnv(e.source.slice(12), e.value);
    }
    if (this.secrets.size === 0 && this.shortSecrets.size === 0) return;
    for (const e of events) this.replaceIn(e);
  }

  /** Passwords in what the program sent on a raw connection (Redis AUTH, PostgreSQL password messages). */
  private redactSent(e: NetWrite): void {
    const bytes = decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding });
    const redacted = redactSentChunk(bytes, (secret) => {
      // In replay the program may send the placeholder it was handed (from a redacted env variable).
      if (PLACEHOLDER.test(secret)) return secret;
      this.add('password', secret);
      return this.secrets.get(secret) ?? this.shortSecrets.get(secret) ?? '<redacted:password>';
    });
    if (redacted === bytes) return;
    const { body, bodyEncoding } = encodeBody(redacted);
    e.chunk = body;
    if (bodyEncoding) e.bodyEncoding = bodyEncoding;
    else delete e.bodyEncoding;
  }

  private learn(headers: Headers, body: string, encoding?: string): void {
    for (const [name, value] of Object.entries(headers)) {
      if (!this.headers.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) this.learnHeader(name, v);
    }
    if (this.fields.size > 0 && encoding !== 'base64' && body) this.learnJsonFields(body);
  }

  private learnHeader(name: string, value: string): void {
    if (name === 'cookie' || name === 'set-cookie') {
      const pairs = name === 'cookie' ? value.split(';') : [value.split(';')[0]];
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        this.add('cookie', (eq >= 0 ? pair.slice(eq + 1) : pair).trim());
      }
      return;
    }
    const space = value.indexOf(' ');
    if ((name === 'authorization' || name === 'proxy-authorization') && space > 0) this.add(name, value.slice(space + 1).trim());
    else this.add(name, value.trim());
  }

  /**
   * A file that holds secrets by its name (`.env`, a key): the values of a `.env` file's
   * `NAME=value` lines become placeholders (the names stay, so a program that parses it still
   * finds them), any other such file becomes one placeholder. The same value, the same
   * placeholder, as everywhere.
   */
  secretFile(file: string, text: string): string {
    if (!/(^|\/)\.env(\.[^/]*)?$/.test(file)) {
      this.add('file', text);
      return this.secrets.get(text) ?? this.shortSecrets.get(text) ?? '<redacted:file>';
    }
    return text.replace(/^(\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*)(['"]?)(.*?)\2(\s*)$/gm, (whole, head: string, quote: string, value: string, tail: string) => {
      if (!value) return whole;
      this.add('env', value);
      return `${head}${quote}${this.secrets.get(value) ?? this.shortSecrets.get(value) ?? value}${quote}${tail}`;
    });
  }

  /** A text file's content before it is stored: `--redact` JSON fields and every known secret replaced, as in bodies. */
  fileText(text: string): string {
    if (this.fields.size > 0) this.learnJsonFields(text);
    return this.jsonFields(this.text(text));
  }

  /** Environment variables named like secrets (API_KEY, DB_PASSWORD, …) hold secrets. */
  private learnEnv(name: string, value: string): void {
    if (SECRET_ENV.test(name) || this.fields.has(name.toLowerCase())) this.add('env', value);
    else this.learnUrl(value);
  }

  /** A password inside a URL (postgres://user:pass@host) is a secret wherever the URL comes from. */
  private learnUrl(value: string): void {
    const match = URL_CREDENTIALS.exec(value);
    if (match) this.add('password', decodeURIComponent(match[1]));
  }

  private learnJsonFields(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'string' && /^\s*[[{]/.test(node)) {
        // JSON inside a string (an upstream echoing a body back): its fields count too.
        try {
          walk(JSON.parse(node));
        } catch {
          // not JSON after all
        }
      } else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (this.fields.has(key.toLowerCase()) && (typeof value === 'string' || typeof value === 'number')) this.add(key.toLowerCase(), String(value));
          else walk(value);
        }
      }
    };
    walk(parsed);
  }

  private add(name: string, secret: string): void {
    // Short cookie values (lang=en, theme=dark) are preferences, not sessions: left readable.
    if (secret.length < MIN_PART && (name === 'cookie' || name === 'password')) return;
    if (!secret || PLACEHOLDER.test(secret) || this.secrets.has(secret) || this.shortSecrets.has(secret)) return;
    const n = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, n);
    const placeholder = `<redacted:${name}:${n}>`;
    if (secret.length < MIN_PART) {
      this.shortSecrets.set(secret, placeholder);
      return;
    }
    this.secrets.set(secret, placeholder);
    this.learned.push(secret);
    this.recent.push(secret);
  }

  /** A redacted header's value: its long secrets replaced anywhere, its short ones where they stand. */
  private headerValue(value: string): string {
    const out = this.text(value);
    if (this.shortSecrets.size === 0) return out;
    return out
      .split(';')
      .map((part) => {
        const m = /^(\s*(?:[^=\s]+=|\S+\s+)?)(.*?)(\s*)$/.exec(part)!;
        const whole = this.shortSecrets.get(part.trim());
        if (whole) return part.replace(part.trim(), whole);
        const short = this.shortSecrets.get(m[2]);
        return short ? `${m[1]}${short}${m[3]}` : part;
      })
      .join(';');
  }

  /**
   * Secrets learned after text holding them may already have been written (a token printed
   * before it is first sent in a header): hands every secret and its placeholder, as they
   * appear in the stored JSON, to `rewrite`.
   */
  rewrite(apply: (pairs: Array<[string, string]>) => void): void {
    const pairs: Array<[string, string]> = [];
    for (const secret of this.learned) pairs.push([JSON.stringify(secret).slice(1, -1), this.secrets.get(secret)!]);
    this.learned = [];
    if (pairs.length > 0) apply(pairs);
  }

  /** Values of --redact fields too short to search for: replaced where they stand, `"pin":"1234"`. */
  private jsonFields(body: string): string {
    if (this.fields.size === 0 || this.shortSecrets.size === 0) return body;
    // `"pin": "1234"`, and the same escaped inside a JSON string: `\"pin\":\"1234\"`.
    return body.replace(/(\\?)"([^"\\]+)\1"(\s*:\s*)(\1"(?:[^"\\]|\\[^"])*\1"|-?\d+(?:\.\d+)?)/g, (whole, q: string, key: string, colon: string, value: string) => {
      if (!this.fields.has(key.toLowerCase())) return whole;
      const raw = value.startsWith(`${q}"`) ? value.slice(q.length + 1, -(q.length + 1)) : value;
      const placeholder = this.shortSecrets.get(raw);
      return placeholder ? `${q}"${key}${q}"${colon}${q}"${placeholder}${q}"` : whole;
    });
  }

  /** Replaces every known secret in a string. */
  text(value: string): string {
    if (this.secrets.size === 0 || value.length === 0) return value;
    // One pass of one pattern, whatever the number of secrets (a service can hand out thousands
    // of session cookies); rebuilt only when the secrets it lacks grow past an eighth of them.
    if (this.recent.length > Math.max(16, this.secrets.size >> 3)) {
      this.pattern = new RegExp([...this.secrets.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
      this.recent = [];
    }
    let out = this.pattern ? value.replace(this.pattern, (secret) => this.secrets.get(secret)!) : value;
    for (const secret of this.recent) if (out.includes(secret)) out = out.split(secret).join(this.secrets.get(secret)!);
    return out;
  }

  private replaceIn(e: LoopEvent): void {
    const fields = e as unknown as Record<string, unknown>;
    for (const key of ['url', 'text', 'message', 'stack', 'chunk', 'detail', 'value'] as const) {
      if (typeof fields[key] === 'string') fields[key] = this.text(fields[key] as string);
    }
    if ((e.kind === 'net.write' || e.kind === 'net.data') && e.bodyEncoding === 'base64') {
      e.chunk = Buffer.from(this.text(Buffer.from(e.chunk, 'base64').toString('latin1')), 'latin1').toString('base64');
    }
    if (e.kind === 'http.request' || e.kind === 'http.response') {
      for (const [name, value] of Object.entries(e.headers)) {
        const redact = (v: string) => (this.headers.has(name) ? this.headerValue(v) : this.text(v));
        e.headers[name] = Array.isArray(value) ? value.map(redact) : redact(value);
      }
      const compressed = compressedText(e);
      if (compressed !== undefined) {
        // Compressed bodies are searched too; compressed again only when a secret was in them.
        const redacted = this.jsonFields(this.text(compressed));
        if (redacted !== compressed) e.body = recompress(e, redacted);
      } else if (e.bodyEncoding === 'base64') e.body = Buffer.from(this.text(decodeBody(e).toString('latin1')), 'latin1').toString('base64');
      else e.body = this.jsonFields(this.text(e.body));
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
