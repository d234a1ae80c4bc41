import type { LoopEvent } from '@looptape/recording';
import type { InspectData } from '../data/inspect-data.js';
import { runningAt, type StateContext } from './task-state.js';

/** What the recording looked like at the cursor: the event there, what was running. */
export interface CursorView {
  event: LoopEvent | undefined;
  ctx: StateContext;
}

const cursorCache = new WeakMap<InspectData, { cursor: number; view: CursorView }>();

/** The cursor view, computed once per cursor position. */
export function cursorView(data: InspectData, cursor: number): CursorView {
  const hit = cursorCache.get(data);
  if (hit && hit.cursor === cursor) return hit.view;
  const event = data.pages.at(cursor);
  const view: CursorView = {
    event,
    ctx: {
      cursor: { seq: cursor, t: event?.t ?? 0 },
      lastSeq: data.lastSeq,
      running: runningAt(data.pages, cursor),
      timers: data.timers,
      scopeEnd: (exchange) => data.tasks.scopeById.get(exchange)?.endSeq ?? null,
    },
  };
  cursorCache.set(data, { cursor, view });
  return view;
}

/** A single-entry cache: recomputes only when one of the inputs changed (by identity). */
export function memoLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = fn(...args);
    last = { args, result };
    return result;
  };
}
