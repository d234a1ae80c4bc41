import { createHook, executionAsyncId } from 'node:async_hooks';
import { HOOK } from '@looptape/recording';
import type { Patches } from './patches.js';
import { LASTING_TYPES, marks, OWN } from './marks.js';
import type { Session } from './session.js';

const { init: INIT, before: BEFORE, after: AFTER, resolve: RESOLVE } = HOOK;

/**
 * The task tree: every async resource's init (type, trigger, creator, request scope), its
 * callback runs and promise resolutions, as numbers into the session's hook buffer.
 * No destroy hook: it roughly triples the cost (GC tracking of every promise). These
 * callbacks run for every promise: they only read and write typed arrays (see marks.ts).
 *
 * The clock is read when the event loop hands over work (a non-promise callback starts, a
 * non-promise resource is made) and every 256 events in between; promise events share that
 * reading. They happen within one macrotask, Date.now() has a millisecond's resolution anyway,
 * and reading it for each of them was a third of the hooks' cost. A shared reading is moved up to
 * the session's latest, so `t` never decreases along `seq`.
 */
export function installTaskHooks(session: Session, patches: Patches): void {
  let lastType = '';
  let lastCode = 0;
  let lastLasting = false;
  const { hooks } = session;
  const clock = session.clock;
  let t = clock();
  let sinceRead = 0;
  // A reading shared since then can be older than one a rich event took meanwhile: never go back.
  const shared = () => ((++sinceRead & 255) === 0 ? (t = clock()) : t < session.lastT ? (t = session.lastT) : t);
  const fresh = () => (t = clock());
  const hook = createHook({
    init(id, type, trigger) {
      const exec = executionAsyncId();
      const mark = session.ownDepth > 0 ? OWN : marks.get(exec);
      if (type !== lastType) {
        lastType = type;
        lastLasting = LASTING_TYPES.has(type);
        lastCode = session.typeCode(type);
      }
      const promise = type === 'PROMISE';
      marks.set(id, mark, lastLasting, promise);
      if (mark === OWN) return;
      hooks.push(++session.seq, promise ? shared() : fresh(), INIT, lastCode, id, trigger, exec, mark);
      if (hooks.full) session.sealHooks();
    },
    before(id) {
      if (marks.get(id) === OWN) return;
      hooks.push(++session.seq, marks.isPromise(id) ? shared() : fresh(), BEFORE, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
    after(id) {
      if (marks.get(id) === OWN) return;
      hooks.push(++session.seq, marks.isPromise(id) ? shared() : fresh(), AFTER, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
    promiseResolve(id) {
      // Resolved by looptape's own code: one of its own promises.
      if (session.ownDepth > 0 || marks.get(executionAsyncId()) === OWN || marks.get(id) === OWN) return;
      hooks.push(++session.seq, shared(), RESOLVE, 0, id, 0, 0, 0);
      if (hooks.full) session.sealHooks();
    },
  });
  hook.enable();
  patches.add(() => hook.disable());
}
