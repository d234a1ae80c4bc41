import { describeEvent, taskName, type LoopEvent, type ScopeSummary, type TaskSummary } from '@looptape/recording';
import type { TimerIndex } from '../data/timers.js';

/** A duration the way a person reads it: 0.4ms, 41ms, 1.25s, 3m12s. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** `#3 POST /checkout`: a request scope as the tree and task paths name it. */
export function scopeLabel(s: ScopeSummary): string {
  return `#${s.exchange} ${s.method} ${s.url}`;
}

export function taskLabel(t: TaskSummary, timers?: TimerIndex): string {
  return `${taskName(t.type, timers?.set(t.id))} ${t.id}`;
}

/** One row of the events pane: `seq  t  kind  details`. */
export function eventLine(e: LoopEvent, seqWidth: number): string {
  return `${String(e.seq).padStart(seqWidth)} ${formatT(e.t).padStart(9)} ${e.kind.padEnd(13)} ${describeEvent(e)}`.replace(/\s+$/, '');
}

/** A point in the recording: milliseconds since it started. */
export function formatT(t: number): string {
  return `${t.toFixed(1)}ms`;
}

/** Cuts a line to a width, marking the cut. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  const flat = text.replace(/[\r\n\t]/g, ' ');
  return flat.length > width ? `${flat.slice(0, Math.max(0, width - 1))}…` : flat;
}
