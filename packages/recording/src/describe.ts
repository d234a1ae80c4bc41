import { decodeBody } from './body.js';
import type { LoopEvent } from './events.js';
import { describeChunk } from './protocols/index.js';

/** What an event says beyond its kind, on one line (the CLI's `events` and the TUI's events pane). */
export function describeEvent(e: LoopEvent): string {
  switch (e.kind) {
    case 'task.init': return `${e.type} ${e.task} ← ${e.exec}${e.trigger !== e.exec ? ` (trigger ${e.trigger})` : ''}`;
    case 'task.before': case 'task.after': case 'task.resolve': case 'task.destroy': return `${e.task}`;
    case 'task.stack': return `${e.task} at ${e.site ?? '?'}`;
    case 'timer.set': return `${e.api}(${e.delay}) timer ${e.timer}${e.resource === undefined ? '' : ` → ${e.resource}`}${e.internal ? ' internal' : ''}${e.site ? ` at ${e.site}` : ''}`;
    case 'timer.fire': case 'timer.clear': return `timer ${e.timer}`;
    case 'http.request': return `${e.direction} #${e.exchange} ${e.method} ${e.url}${e.body ? ` body=${clipText(e.body)}` : ''}`;
    case 'http.response': return `${e.direction} #${e.exchange} ${e.status}${e.body ? ` body=${clipText(e.body)}` : ''}`;
    case 'http.error': return `${e.direction} #${e.exchange} ${e.code ? `${e.code} ` : ''}${e.message}`;
    case 'http.body': return `${e.direction} #${e.exchange} ${e.end ? 'end' : clipText(e.chunk)}`;
    case 'http.abort': return `${e.direction} #${e.exchange}`;
    case 'http.listen': return `${e.host}:${e.port}`;
    case 'http.connect': return `${e.direction} #${e.exchange}${e.secure ? ' tls handshake' : ''}`;
    case 'net.connect': return `#${e.connection} ${e.protocol} ${e.host}:${e.port}${e.tls ? ' tls' : ''}`;
    case 'net.write': return `#${e.connection} ${clipText(describeChunk(decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding }), 'sent'), 120)}`;
    case 'net.data': return `#${e.connection} → ${clipText(describeChunk(decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding }), 'read'), 120)}`;
    case 'net.close': return `#${e.connection}${e.byProgram ? ' by the program' : ''}`;
    case 'net.error': return `#${e.connection} ${e.code ? `${e.code} ` : ''}${e.message}`;
    case 'nondet': return `${e.source} = ${clipText(JSON.stringify(e.value) ?? 'undefined')}`;
    case 'fs.read': return `${e.op} ${e.path}${e.error ? ` ${e.error}` : e.size !== undefined ? ` ${formatBytes(e.size)}` : ''}${e.stored && e.stored !== 'content' ? ` (${e.stored})` : ''}`;
    case 'fs.write': return `${e.op} ${e.path}${e.to ? ` → ${e.to}` : ''}${e.error ? ` ${e.error}` : e.size !== undefined ? ` ${formatBytes(e.size)}` : ''}`;
    case 'console': return `${e.stream} ${clipText(JSON.stringify(e.text))}`;
    case 'error.uncaught': case 'error.unhandled-rejection': return `${e.name}: ${e.message}`;
    case 'process.exit': return `code ${e.code}`;
    case 'process.active': return e.resources.join(', ');
    case 'process.signal': return e.signal;
    case 'unsupported': return `${e.what}: ${e.detail}`;
    default: return assertNever(e);
  }
}

/** A `task.stack` frame (`name file:line:col`) as a site: without the function name. */
export function siteOf(frame: string): string {
  return frame.replace(/^\S+ (?=\S+:\d+:\d+$)/, '');
}

/** Text on one line (whitespace folded), cut to `max` characters with an ellipsis. */
export function clipText(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A byte count as people read it: `48 B`, `3.1 kB`, `2.0 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  return n < 1e6 ? `${(n / 1000).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled event kind ${(value as LoopEvent).kind}`);
}
