import { createHook, executionAsyncId, executionAsyncResource } from 'node:async_hooks';
import { kOwn, kScope, type Session } from './session.js';
import type { Restore } from './patches.js';

const INIT = 0;
const BEFORE = 1;
const AFTER = 2;
const RESOLVE = 3;

type Marked = { [kScope]?: number; [kOwn]?: true };

/**
 * The task tree: every async resource's init (type, trigger, creator), its callback
 * runs and promise resolutions, as numbers into the session's hook buffer.
 * No destroy hook: it roughly triples the cost (GC tracking of every promise).
 * looptape's own resources are marked on the resource itself (no set that grows forever):
 * in before/after, executionAsyncResource() is the resource being entered.
 */
export function installTaskHooks(session: Session): Restore {
  let lastType = '';
  let lastCode = 0;
  const { hooks } = session;
  const push = (kind: number, typeCode: number, id: number, trigger: number, exec: number, scope: number) => {
    hooks.push(++session.seq, session.now(), kind, typeCode, id, trigger, exec, scope);
    if (hooks.full) session.sealHooks();
  };
  const hook = createHook({
    init(id, type, trigger, resource) {
      const current = executionAsyncResource() as Marked;
      if (session.ownDepth > 0 || current[kOwn]) {
        (resource as Marked)[kOwn] = true;
        return;
      }
      const scope = current[kScope];
      if (scope !== undefined) (resource as Marked)[kScope] = scope;
      if (type !== lastType) {
        lastType = type;
        lastCode = session.typeCode(type);
      }
      push(INIT, lastCode, id, trigger, executionAsyncId(), scope ?? 0);
    },
    before(id) {
      const current = executionAsyncResource() as Marked;
      if (current[kOwn]) return;
      push(BEFORE, 0, id, 0, 0, current[kScope] ?? 0);
    },
    after(id) {
      const current = executionAsyncResource() as Marked;
      if (current[kOwn]) return;
      push(AFTER, 0, id, 0, 0, current[kScope] ?? 0);
    },
    promiseResolve(id) {
      // The resolving code's resource: looptape's own code resolves looptape's own promises.
      if (session.ownDepth > 0 || (executionAsyncResource() as Marked)[kOwn]) return;
      push(RESOLVE, 0, id, 0, 0, 0);
    },
  });
  hook.enable();
  return () => hook.disable();
}
