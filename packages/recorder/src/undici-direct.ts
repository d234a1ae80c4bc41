import dc from 'node:diagnostics_channel';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callSites, formatSite, isOwnFile } from './stack.js';

/** Frames of the undici package itself (npm's), not of the copy inside Node that runs `fetch`. */
const UNDICI_PACKAGE = /[/\\]node_modules[/\\]undici[/\\]/;

/**
 * A request made through the undici package's own API (`request`, `Pool`, `Agent`,
 * `undici.fetch`) is not captured, and on Node 22 and later it may go out through the
 * dispatcher Node's `fetch` shares, whose sockets pass as captured HTTP: noted as
 * `unsupported`, once, at the program's call site, so that replay refuses it.
 */
export function watchUndiciPackage(session: Session, patches: Patches): void {
  let noted = false;
  // Which copy made a request is a property of its class (the package's Request constructor is
  // on the stack of every request it makes): the stack is looked at once per class, not per request.
  const nodesOwn = new WeakSet<object>();
  const onCreate = (message: unknown) => {
    if (noted || session.ownDepth > 0) return;
    const request = (message as { request?: object }).request;
    const kind = request && Object.getPrototypeOf(request);
    if (kind && nodesOwn.has(kind)) return;
    const frames = callSites(undefined, 40);
    if (!frames.some((f) => UNDICI_PACKAGE.test(f.getFileName() ?? ''))) {
      if (kind) nodesOwn.add(kind);
      return;
    }
    noted = true;
    const caller = frames.find((f) => {
      const file = f.getFileName() ?? '';
      return file && !file.startsWith('node:') && !isOwnFile(file) && !/[/\\]node_modules[/\\]/.test(file);
    });
    const { method, origin } = (message as { request?: { method?: string; origin?: string } }).request ?? {};
    session.emit({ kind: 'unsupported', ...session.here(), what: 'undici', detail: `${method ?? 'a'} request to ${origin ?? 'a server'} through the undici package`, site: caller && formatSite(caller.getFileName()!, caller.getLineNumber(), caller.getColumnNumber()) });
  };
  dc.subscribe('undici:request:create', onCreate);
  patches.add(() => dc.unsubscribe('undici:request:create', onCreate));
}
