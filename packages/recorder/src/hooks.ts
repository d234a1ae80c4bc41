import { createHook, executionAsyncId } from 'node:async_hooks';
import type { Restore } from './patches.js';
import { LASTING_TYPES, marks, OWN } from './marks.js';
import type { Session } from './session.js';

const INIT = 0;
const BEFORE = 1;
const AFTER = 2;
const RESOLVE = 3;

/**
 * The task tree: every async resource's init (type, trigger, creator, request scope), its
 * callback runs and promise resolutions, as numbers into the session's hook buffer.
 * No destroy hook: it roughly triples the cost (GC tracking of every promise). These
 * callbacks run for every promise: they only read and write typed arrays (see marks.ts).
 */
export function installTaskHooks(session: Session): Restore {
  let lastType = '';
  let lastCode = 0;
  let lastLasting = false;
  const { hooks } = session;
  const now = session.clock;
  const hook = createHook({
    init(id, type, trigger) {
      const exec = executionAsyncId();
      const mark = session.ownDepth > 0 ? OWN : marks.get(exec);
      if (type !== lastType) {
        lastType = type;
        lastLasting = LASTING_TYPES.has(type);
        lastCode = session.typeCode(type);
      }
      marks.set(id, mark, lastLasting);
      if (mark === OWN) return;
      hooks.push(++session.seq, now(), INIT, lastCode, id, trigger, exec, mark);
      if (hooks.full) session.sealHooks();
    },
    before(id) {
      if (marks.get(id) === OWN) return;
      hooks.push(++session.seq, now(), BEFORE, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
    after(id) {
      if (marks.get(id) === OWN) return;
      hooks.push(++session.seq, now(), AFTER, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
    promiseResolve(id) {
      // Resolved by looptape's own code: one of its own promises.
      if (session.ownDepth > 0 || marks.get(executionAsyncId()) === OWN || marks.get(id) === OWN) return;
      hooks.push(++session.seq, now(), RESOLVE, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
  });
  hook.enable();
  return () => hook.disable();
}
