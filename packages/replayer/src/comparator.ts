import { createHash } from 'node:crypto';
import type { LoopEvent } from '@looptape/recording';
import { CanonicalMapper, canonicalStream, type Canonical } from './canonical.js';
import { describe, describeDifference, type Divergence } from './divergence.js';
import { fileDifference, type FileBytes } from './files/difference.js';

/**
 * Compares the replayed program's canonical stream with the recording's, event by event.
 * Under another schedule the order may legitimately change, so only what the schedule
 * cannot change is checked (done by the world: requests must be in the recording).
 */
export class Comparator {
  private readonly expected: Canonical[];
  /** Expected events of each stream (see Canonical.stream), compared on their stream only. */
  private readonly streams = new Map<string, Canonical[]>();
  private readonly live = new CanonicalMapper();
  private readonly scopes = new Map<number, string>();
  private cursor = 0;
  private readonly hash = createHash('sha256');
  divergence: Divergence | undefined;
  /**
   * The recorded time of the latest recorded event the program matched: a strict replay's events
   * take their recorded times (its virtual clock moves only at deliveries), so a tree derived by
   * replay (derived.ts) has the recording's timing.
   */
  matchedT = 0;
  /** The recorded time of the event the last observe() matched (0 when it matched none). */
  matchedAt = 0;

  constructor(recorded: readonly LoopEvent[], private readonly strict: boolean, private readonly files?: FileBytes) {
    this.expected = [];
    // What happens before the first recorded event happened by its time (module loading).
    if (strict && recorded.length > 0) this.matchedT = recorded[0].t;
    for (const c of canonicalStream(recorded)) {
      if (c.stream) this.streams.set(c.stream, [...(this.streams.get(c.stream) ?? []), c]);
      else this.expected.push(c);
    }
  }

  /** The program reached a recorded event of this time (matched, or a recorded reading it took). */
  saw(t: number): void {
    if (this.strict && t > this.matchedT) this.matchedT = t;
  }

  /** Checks one live event; returns the divergence when this event is the first one. */
  observe(e: LoopEvent): Divergence | undefined {
    this.matchedAt = 0;
    if (e.kind === 'http.request' && e.direction === 'in') this.scopes.set(e.exchange, `#${e.exchange} ${e.method} ${e.url}`);
    const actual = this.live.map(e);
    if (actual) this.hash.update(`${actual.match}\n`);
    if (this.divergence || !this.strict || !actual) return undefined;
    const queue = actual.stream ? this.streams.get(actual.stream) ?? [] : undefined;
    const expected = queue ? queue[0] : this.expected[this.cursor];
    if (expected && expected.match === actual.match) {
      if (queue) queue.shift();
      else this.cursor++;
      this.saw(expected.t);
      this.matchedAt = expected.t;
      return undefined;
    }
    const [shownExpected, shownActual] = expected && expected.kind === actual.kind ? describeDifference(expected, actual) : [describe(expected), describe(actual)];
    const written = expected && this.files ? fileDifference(expected, actual, this.files) : undefined;
    this.divergence = {
      code: 'DIVERGENCE',
      message: written ?? (expected
        ? expected.kind === actual.kind ? `the program's ${actual.kind} differs from the recording's` : `expected ${expected.what}, but the program did ${actual.what}`
        : `the program did ${actual.what} after the recording ended`),
      expected: shownExpected,
      actual: shownActual,
      taskPath: this.taskPath(e, actual),
      location: actual.site,
    };
    return this.divergence;
  }

  /** How many recorded events the program has matched so far. */
  get position(): number {
    return this.cursor;
  }

  /** How many recorded events come before a recorded seq: the position the program reaches there. */
  positionAt(seq: number): number {
    let lo = 0;
    let hi = this.expected.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.expected[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** sha256 of the replayed program's canonical stream: equal for two runs that did the same. */
  streamHash(): string {
    return this.hash.copy().digest('hex');
  }

  /** At the end of the replay: what the recording still expected. */
  finish(): Divergence | undefined {
    const left = this.expected.length - this.cursor + [...this.streams.values()].reduce((n, q) => n + q.length, 0);
    if (this.divergence || !this.strict || left === 0) return this.divergence;
    const missing = this.expected[this.cursor] ?? [...this.streams.values()].find((q) => q.length > 0)![0];
    this.divergence = {
      code: 'MISSING_EVENTS',
      message: `the program ended without ${left} recorded event(s), first: ${missing.what}`,
      expected: describe(missing),
      location: missing.site,
    };
    return this.divergence;
  }

  /** `#2 GET /quote → GET http://…/price`: the inbound request whose scope the event is in, then the event. */
  taskPath(e: LoopEvent, c: Canonical): string {
    const scope = e.scope === null ? undefined : this.scopes.get(e.scope) ?? `#${e.scope}`;
    return [scope ?? 'main', c.what].join(' → ');
  }
}
