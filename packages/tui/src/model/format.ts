import type { LoopEvent, ScopeSummary, TaskSummary } from '@looptape/recording';

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

export function taskLabel(t: TaskSummary): string {
  return `${t.type} ${t.id}`;
}

/** What an event says beyond its kind, on one line. */
export function eventDetails(e: LoopEvent): string {
  switch (e.kind) {
    case 'task.init': return `${e.type} ${e.task} ← ${e.exec}`;
    case 'task.before': case 'task.after': case 'task.resolve': case 'task.destroy': return `${e.task}`;
    case 'task.stack': return `${e.task} at ${e.site ?? '?'}`;
    case 'timer.set': return `${e.api}(${e.delay})${e.resource === undefined ? '' : ` → ${e.resource}`}${e.internal ? ' internal' : ''}`;
    case 'timer.fire': case 'timer.clear': return `timer ${e.timer}`;
    case 'http.request': return `${e.direction} #${e.exchange} ${e.method} ${e.url}`;
    case 'http.response': return `${e.direction} #${e.exchange} ${e.status}`;
    case 'http.error': return `${e.direction} #${e.exchange} ${e.code ?? ''} ${e.message}`.replace(/ +/g, ' ');
    case 'http.body': return `${e.direction} #${e.exchange} ${e.chunk.length}B`;
    case 'http.abort': return `${e.direction} #${e.exchange}`;
    case 'http.listen': return `${e.host}:${e.port}`;
    case 'nondet': return `${e.source} = ${JSON.stringify(e.value)}`;
    case 'console': return `${e.stream} ${JSON.stringify(e.text)}`;
    case 'error.uncaught': case 'error.unhandled-rejection': return `${e.name}: ${e.message}`;
    case 'process.exit': return `code ${e.code}`;
    case 'process.signal': return e.signal;
    case 'process.active': return e.resources.join(', ');
    case 'unsupported': return `${e.what}: ${e.detail}`;
    default: return assertNever(e);
  }
}

/** One row of the events pane: `seq  t  kind  details`. */
export function eventLine(e: LoopEvent, seqWidth: number): string {
  return `${String(e.seq).padStart(seqWidth)} ${formatT(e.t).padStart(9)} ${e.kind.padEnd(13)} ${eventDetails(e)}`.replace(/\s+$/, '');
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

function assertNever(value: never): never {
  throw new Error(`unhandled event kind ${(value as LoopEvent).kind}`);
}
