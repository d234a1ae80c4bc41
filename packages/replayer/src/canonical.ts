import { clipText, decodeBody, describeChunk, formatBytes, type LoopEvent, type NetProtocol } from '@looptape/recording';
import { digest, outboundKey, timerKey } from './keys.js';

/**
 * One event of the canonical stream: what a replay must reproduce, with logical
 * identities (keys, not asyncIds or exchange numbers) so two runs can be compared.
 */
export interface Canonical {
  seq: number;
  /** When it happened (the recorded time, for a recorded event). */
  t: number;
  kind: LoopEvent['kind'];
  /** Equal between two runs exactly when the events are the same. */
  match: string;
  /** The same, for people (cut to a line). */
  what: string;
  /** The compared text in full, to show where two events first differ. */
  full?: string;
  site?: string;
  scope: number | null;
  /** fs.write: which file, and the hash of what was written (to find the first differing byte). */
  file?: { path: string; hash?: string };
  /**
   * Events of one stream (a raw connection's writes) are compared in their order on that
   * stream only: when the program's local work ends (a file read) decides the order of writes on
   * two connections, and that is not a delivery the replay follows.
   */
  stream?: string;
  /** Shown whole (not around the first difference) when it differs and is short. */
  whole?: boolean;
}

/** Timer ids differ between runs: a timer.clear is compared through the key of its timer.set. */
export class CanonicalMapper {
  private timers = new Map<number, string>();
  /** Raw connections seen established: where they go and what they speak. */
  private connections = new Map<number, { where: string; protocol: NetProtocol }>();

  /** The canonical form of an event, or undefined when it is not compared (deliveries, tasks). */
  map(e: LoopEvent): Canonical | undefined {
    const base = { seq: e.seq, t: e.t, kind: e.kind, scope: e.scope };
    switch (e.kind) {
      case 'timer.set': {
        if (e.internal) return undefined;
        const key = timerKey(e);
        this.timers.set(e.timer, key);
        return { ...base, match: `timer.set ${key}`, what: `${e.api}(…, ${e.delay})${e.repeat ? ' (repeating)' : ''}`, site: e.site };
      }
      case 'timer.clear': {
        const key = this.timers.get(e.timer);
        return key ? { ...base, match: `timer.clear ${key}`, what: `clear ${key}` } : undefined;
      }
      case 'http.request':
        if (e.direction !== 'out') return undefined;
        return { ...base, match: `http.request ${outboundKey(e.method, e.url, e.body, e.bodyEncoding)}`, what: `${e.method} ${e.url}${e.body ? ` with body ${clip(e.body)}` : ''}`, full: `${e.method} ${e.url}${e.body ? ` with body ${e.body}` : ''}`, site: e.site };
      case 'http.response':
        if (e.direction !== 'in') return undefined;
        return { ...base, match: `http.response ${e.status} ${digest(e.body)}`, what: `response ${e.status} ${clip(e.body)}`, full: `response ${e.status} ${e.body}` };
      case 'net.connect':
        this.connections.set(e.connection, { where: `${e.host}:${e.port}${e.tls ? ' (tls)' : ''}`, protocol: e.protocol });
        return undefined;
      case 'net.write': {
        const c = this.connections.get(e.connection);
        const bytes = decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding });
        const on = `on connection ${e.connection}${c ? ` to ${c.where}` : ''}`;
        const text = (max: number) => `${c?.protocol ?? 'tcp'} ${describeChunk(bytes, 'sent', c?.protocol === 'tcp' ? undefined : c?.protocol, max)}`;
        return { ...base, stream: `connection ${e.connection}`, whole: true, match: `net.write ${e.connection} ${digest(e.chunk)}`, what: `${clip(text(200), 100)} ${on}`, full: `${text(100_000)} ${on}` };
      }
      case 'nondet':
        return { ...base, match: `nondet ${e.source}`, what: `${e.source}()`, site: e.site };
      case 'fs.read':
        // The content comes from the recording: which file was read, and how, is what can differ.
        return { ...base, match: `fs.read ${e.op} ${e.path}`, what: `${e.op} ${e.path}`, site: e.site };
      case 'fs.write': {
        const what = `${e.op} ${e.path}${e.to ? ` → ${e.to}` : ''}${e.size !== undefined ? ` (${formatBytes(e.size)})` : ''}${e.error ? ` failing ${e.error}` : ''}`;
        return { ...base, match: `fs.write ${e.op} ${e.path} ${e.to ?? ''} ${e.hash ?? ''} ${e.error ?? ''}`, what, site: e.site, file: { path: e.path, hash: e.hash } };
      }
      case 'console':
        return { ...base, match: `console ${e.stream} ${e.text}`, what: `${e.stream}: ${clip(e.text)}`, full: `${e.stream}: ${e.text}` };
      case 'error.uncaught':
      case 'error.unhandled-rejection':
        return { ...base, match: `${e.kind} ${e.name}: ${e.message}`, what: `${e.kind === 'error.uncaught' ? 'uncaught' : 'unhandled rejection'} ${e.name}: ${e.message}` };
      case 'process.exit':
        return { ...base, match: `process.exit ${e.code}`, what: `exit code ${e.code}` };
      case 'unsupported':
        return { ...base, match: `unsupported ${e.what}`, what: `${e.what} (${e.detail})`, site: e.site };
      default:
        return undefined;
    }
  }
}

/** The canonical stream of a whole recording. */
export function canonicalStream(events: readonly LoopEvent[]): Canonical[] {
  const mapper = new CanonicalMapper();
  const out: Canonical[] = [];
  for (const e of events) {
    const c = mapper.map(e);
    if (c) out.push(c);
  }
  return out;
}

export function clip(text: string, max = 60): string {
  return clipText(text.trim(), max);
}
