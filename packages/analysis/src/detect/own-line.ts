import type { Finding } from '../findings.js';
import { inLibrary } from '../model/world.js';
import type { Context } from './context.js';

/** How far up the chain of creators a library's work is traced back to the program's own line. */
const MAX_HOPS = 64;

/**
 * A finding is located at the program's own line, not inside a library: work a library started
 * (follow-redirects' timer for an unawaited `axios.post`) is traced up the chain of creators to
 * the nearest task the program's own code created (with `record --stacks`), and the library's
 * line stays as `via`. Without stacks there is no such line to find: the finding says it is in a
 * library, and how to see the program's line.
 */
export function atOwnLine(ctx: Context, f: Finding): Finding {
  if (!f.location || !inLibrary(f.location)) return f;
  const own = f.task === null ? undefined : ownLine(ctx, f.task);
  if (own) return { ...f, location: own, evidence: { ...f.evidence, via: f.location } };
  return { ...f, evidence: { ...f.evidence, inLibrary: ctx.world.meta.stacks ? 'no line of the program led to it' : 'record --stacks to see the program line that led to it' } };
}

function ownLine(ctx: Context, task: number): string | undefined {
  const { tasks, world } = ctx;
  if (!tasks) return world.ownFrames.get(task);
  const start = tasks.row(task);
  if (start < 0) return world.ownFrames.get(task);
  const scope = tasks.scope.get(start);
  // Up the creators, while they served the same request.
  for (let row = start, hops = 0; row >= 0 && hops < MAX_HOPS && tasks.scope.get(row) === scope; row = tasks.creator(row), hops++) {
    const own = world.ownFrames.get(tasks.ids.get(row));
    if (own) return own;
  }
  // A library that runs its work from its own queue (a callback, a promise chain) loses the
  // chain: then the program's last call into code of its own, in that request, before the work began.
  if (!scope) return undefined;
  let best: { seq: number; site: string } | undefined;
  for (const [id, site] of world.ownFrames) {
    const row = tasks.row(id);
    if (row < 0 || tasks.scope.get(row) !== scope) continue;
    const seq = tasks.initSeq.get(row);
    if (seq <= tasks.initSeq.get(start) && (!best || seq > best.seq)) best = { seq, site };
  }
  return best?.site;
}
