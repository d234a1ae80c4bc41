import type { HttpRequest } from '@looptape/recording';
import type { Canonical } from './canonical.js';
import { deliveryId, type Delivery } from './schedule.js';

export type DivergenceCode = 'DIVERGENCE' | 'UNRECORDED_REQUEST' | 'UNRECORDED_CONNECTION' | 'MISSING_EVENTS' | 'UNDELIVERABLE' | 'UNSUPPORTED';

export interface EventDescription {
  kind: string;
  what: string;
  site?: string;
  seq?: number;
}

/** The first place where the replayed program did something the recording did not. */
export interface Divergence {
  code: DivergenceCode;
  message: string;
  expected?: EventDescription;
  actual?: EventDescription;
  /** inbound request → … → the event, e.g. `#2 GET /quote → GET http://…/price`. */
  taskPath?: string;
  /** file:line:col of the program's code, when known. */
  location?: string;
  /** For an unrecorded request: the nearest recorded ones and how they differ. */
  nearest?: Array<{ method: string; url: string; differences: string[] }>;
}

export function describe(c: Canonical | undefined): EventDescription | undefined {
  return c && { kind: c.kind, what: c.what, site: c.site, seq: c.seq };
}

/**
 * Two events of one kind that differ: each shown around the first character where they part
 * (two long bodies cut at the same place would look the same).
 */
export function describeDifference(expected: Canonical, actual: Canonical): [EventDescription, EventDescription] {
  const a = expected.full ?? expected.what;
  const b = actual.full ?? actual.what;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const window = (text: string) => {
    // A query or command reads from its start: where it is short, it is shown whole.
    if (expected.whole && a.length <= 240 && b.length <= 240) return text;
    const from = Math.max(0, i - 30);
    const flat = text.slice(from, i + 50).replace(/\s+/g, ' ');
    return `${from > 0 ? '…' : ''}${flat}${i + 50 < text.length ? '…' : ''}`;
  };
  return [
    { ...describe(expected)!, what: window(a) },
    { ...describe(actual)!, what: window(b) },
  ];
}

/** The recorded outbound requests closest to one the recording does not have, and how each differs. */
export function nearestRequests(recorded: readonly HttpRequest[], method: string, url: string, body: string, headers?: Record<string, string>): Divergence['nearest'] {
  const scored = recorded.map((r) => {
    const differences: string[] = [];
    if (r.method !== method) differences.push(`method ${r.method} instead of ${method}`);
    if (r.url !== url) differences.push(`URL ${r.url} instead of ${url}`);
    if (headers) differences.push(...headerDifferences(r.headers, headers));
    if (r.body !== body) differences.push(r.body ? `body ${JSON.stringify(r.body.slice(0, 60))}` : 'no body');
    const score = (r.method === method ? 0 : 4) + urlDistance(r.url, url) + (r.body === body ? 0 : 1);
    return { score, entry: { method: r.method, url: r.url, differences } };
  });
  const unique = new Map<string, (typeof scored)[number]>();
  for (const s of scored.sort((a, b) => a.score - b.score)) if (!unique.has(`${s.entry.method} ${s.entry.url}`)) unique.set(`${s.entry.method} ${s.entry.url}`, s);
  return [...unique.values()].slice(0, 3).map((s) => s.entry);
}

/** Headers that say how a message is framed or sent, not what is asked: they differ by client and version. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'accept-encoding', 'user-agent']);
/** Secrets are placeholders in the recording: only whether one was sent is compared. */
const SECRET = /^(authorization|proxy-authorization|cookie|x-api-key)$/;

/** How the headers the program sent differ from the recorded request's, header by header. */
function headerDifferences(recorded: HttpRequest['headers'], sent: Record<string, string>): string[] {
  const out: string[] = [];
  const was = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);
  const names = new Set([...Object.keys(recorded), ...Object.keys(sent)].map((n) => n.toLowerCase()));
  for (const name of [...names].sort()) {
    if (FRAMING.has(name)) continue;
    const before = was(recorded[name]);
    const now = sent[name];
    if (before === undefined) out.push(`header ${name}: ${JSON.stringify(now)} not recorded`);
    else if (now === undefined) out.push(`header ${name}: recorded ${JSON.stringify(before)}, not sent`);
    else if (before !== now && !SECRET.test(name)) out.push(`header ${name}: recorded ${JSON.stringify(before)}, sent ${JSON.stringify(now)}`);
  }
  return out;
}

function urlDistance(a: string, b: string): number {
  if (a === b) return 0;
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    return (ua.host === ub.host ? 0 : 2) + (ua.pathname === ub.pathname ? 0 : 2) + (ua.search === ub.search ? 0 : 1);
  } catch {
    return 5;
  }
}

/** A divergence as the lines a person reads. */
export function formatDivergence(d: Divergence): string {
  const lines = [`replay diverged: ${d.message}`];
  if (d.expected) lines.push(`  expected: ${d.expected.what}${d.expected.site ? `  (at ${d.expected.site})` : ''}`);
  if (d.actual) lines.push(`  actual:   ${d.actual.what}${d.actual.site ? `  (at ${d.actual.site})` : ''}`);
  if (d.taskPath) lines.push(`  task:     ${d.taskPath}`);
  if (d.location) lines.push(`  location: ${d.location}`);
  for (const n of d.nearest ?? []) lines.push(`  nearest recorded: ${n.method} ${n.url}${n.differences.length ? ` (${n.differences.join('; ')})` : ''}`);
  return lines.join('\n');
}

/** A delivery the program was not ready for. */
export function undelivered(d: Delivery, why = 'the program ended first'): Divergence {
  return { code: 'UNDELIVERABLE', message: `cannot deliver ${deliveryId(d)} (recorded at ${d.t.toFixed(1)} ms): ${why}`, expected: { kind: d.kind, what: deliveryId(d) } };
}

/** The program ended waiting for answers no delivery gave it (a schedule that left them out). */
export function leftWaiting(pending: string[]): Divergence | undefined {
  if (pending.length === 0) return undefined;
  return { code: 'UNDELIVERABLE', message: `the program ended waiting for ${pending.length === 1 ? 'an answer' : `${pending.length} answers`} the schedule never delivered: ${pending.join(', ')}` };
}

/** Reports that arrive together: the interceptor's unrecorded request and the comparator's view of it. */
export function merge(reported: Divergence[]): Divergence | undefined {
  const unrecorded = reported.find((d) => d.code === 'UNRECORDED_REQUEST');
  const compared = reported.find((d) => d.code === 'DIVERGENCE' && d.actual?.kind === 'http.request');
  if (unrecorded && compared) return { ...unrecorded, actual: compared.actual, expected: compared.expected, taskPath: compared.taskPath, location: compared.location };
  return reported[0];
}
