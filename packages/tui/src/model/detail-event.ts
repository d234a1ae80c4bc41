import { decodeBody, describeChunk, type LoopEvent } from '@looptape/recording';
import type { Exchange } from '../data/exchange.js';
import { bodyLines, headerLines } from './body.js';
import { formatMs, formatT } from './format.js';
import { field, title, type Line } from './lines.js';

const COMMON = new Set(['seq', 't', 'kind', 'task', 'scope', 'process']);
/** Shown in the exchange section instead, where they are pretty-printed. */
const BULKY = new Set(['headers', 'body', 'chunk', 'stack', 'frames']);

/** An event's own fields, one per line; a stack as its lines. */
export function eventFields(e: LoopEvent): Line[] {
  const lines: Line[] = [];
  if (e.scope !== null) lines.push(field('request', `#${e.scope}`));
  for (const [key, value] of Object.entries(e)) {
    if (COMMON.has(key) || BULKY.has(key) || value === undefined) continue;
    lines.push(field(key, typeof value === 'string' ? value : JSON.stringify(value)));
  }
  if (e.kind === 'http.body') lines.push(field('chunk', ''), ...bodyLines(e.chunk, e.bodyEncoding, {}));
  if (e.kind === 'net.write' || e.kind === 'net.data') {
    // The chunk as its protocol reads (Redis commands, PostgreSQL messages), then as bytes.
    lines.push(field(e.kind === 'net.write' ? 'sent' : 'read', describeChunk(decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding }), e.kind === 'net.write' ? 'sent' : 'read', undefined, 2000)));
    lines.push(field('chunk', ''), ...bodyLines(e.chunk, e.bodyEncoding, {}));
  }
  if (e.kind === 'task.stack') lines.push(field('frames', ''), ...e.frames.map((text): Line => ({ text: `  ${text}`, style: 'dim' })));
  if ('stack' in e && e.stack) lines.push(field('stack', ''), ...e.stack.split('\n').map((text): Line => ({ text: `  ${text.trim()}`, style: 'dim' })));
  return lines;
}

/** An HTTP exchange: the request with its headers and body, then the response or how it failed. */
export function exchangeLines(x: Exchange): Line[] {
  const lines: Line[] = [title(`Exchange #${x.exchange} (${x.direction === 'in' ? 'served by the program' : 'made by the program'})`)];
  const req = x.request;
  if (!req) lines.push({ text: '  request not found in the recording', style: 'dim' });
  else {
    lines.push({ text: `→ ${req.method} ${req.url}   seq ${req.seq}  t ${formatT(req.t)}`, style: 'label' });
    if (req.site) lines.push({ text: `  at ${req.site}`, style: 'dim' });
    lines.push(...headerLines(req.headers), ...bodyLines(req.body, req.bodyEncoding, req.headers));
  }
  const took = (t: number) => (req ? `  (${formatMs(t - req.t)})` : '');
  if (x.response) {
    const r = x.response;
    lines.push({ text: `← ${r.status}${r.statusText ? ` ${r.statusText}` : ''}   seq ${r.seq}  t ${formatT(r.t)}${took(r.t)}`, style: r.status >= 500 ? 'error' : r.status >= 400 ? 'warning' : 'label' });
    lines.push(...headerLines(r.headers), ...bodyLines(r.body, r.bodyEncoding, r.headers));
  } else if (x.error) {
    lines.push({ text: `✗ ${x.error.code ?? 'error'}: ${x.error.message}   seq ${x.error.seq}${took(x.error.t)}`, style: 'error' });
  } else if (x.abort) {
    lines.push({ text: `✗ aborted   seq ${x.abort.seq}${took(x.abort.t)}`, style: 'error' });
  } else {
    lines.push({ text: '← no response in the recording', style: 'warning' });
  }
  return lines;
}
