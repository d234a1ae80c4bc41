import { EVENT_KINDS, type LoopEvent } from '@looptape/recording';
import type { InspectData } from '../data/inspect-data.js';
import { ROW_KINDS, seek } from '../data/seek.js';

/** A parsed search: text in an event's fields, a request or exchange, a task, or a seq. */
export type Query =
  | { type: 'text'; text: string }
  | { type: 'exchange'; id: number }
  | { type: 'task'; id: number }
  | { type: 'seq'; seq: number };

/** `#3` request/exchange 3, `task:17` task 17, `seq:1200` that event, anything else text. */
export function parseQuery(query: string): Query {
  const q = query.trim();
  let m = /^#(\d+)$/.exec(q);
  if (m) return { type: 'exchange', id: Number(m[1]) };
  m = /^task:(\d+)$/i.exec(q);
  if (m) return { type: 'task', id: Number(m[1]) };
  m = /^seq:(\d+)$/i.exec(q);
  if (m) return { type: 'seq', seq: Number(m[1]) };
  return { type: 'text', text: q.toLowerCase() };
}

/** Whether an event matches a text query: any of its fields contains the text, ignoring case. */
export function matchesText(e: LoopEvent, text: string): boolean {
  return JSON.stringify(e).toLowerCase().includes(text);
}

/** The next (dir 1) or previous (dir -1) event from `from` that matches the query. */
export function searchMatch(data: InspectData, query: string, from: number, dir: 1 | -1): LoopEvent | undefined {
  const q = parseQuery(query);
  const base = { from, dir, lastSeq: data.lastSeq };
  switch (q.type) {
    case 'seq': {
      if ((dir > 0 && q.seq <= from) || (dir < 0 && q.seq >= from)) return undefined;
      return data.pages.at(q.seq) ?? data.pages.next(q.seq);
    }
    case 'exchange':
      return seek(data.reader, { ...base, kinds: ROW_KINDS, match: (e) => e.scope === q.id || ('exchange' in e && e.exchange === q.id) });
    case 'task':
      return seek(data.reader, { ...base, kinds: EVENT_KINDS, task: q.id });
    case 'text':
      return q.text ? seek(data.reader, { ...base, kinds: ROW_KINDS, match: (e) => matchesText(e, q.text) }) : undefined;
    default:
      return assertNever(q);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown query ${JSON.stringify(value)}`);
}
