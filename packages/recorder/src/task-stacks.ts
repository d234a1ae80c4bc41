import { createHook } from 'node:async_hooks';
import type { Patches } from './patches.js';
import { marks, OWN } from './marks.js';
import type { Session } from './session.js';
import { siteOf } from '@looptape/recording';
import { userFrames } from './stack.js';

/**
 * With `--stacks`: after each task's init, a `task.stack` event with where the program created it.
 * A separate hook, enabled after the task hook, keeps the common path free of it.
 */
export function installTaskStacks(session: Session, patches: Patches): void {
  const hook = createHook({
    init(id) {
      if (session.ownDepth > 0 || marks.get(id) === OWN) return;
      const frames = userFrames(undefined, 8);
      session.emit({ kind: 'task.stack', ...session.here(), task: id, site: frames[0] ? siteOf(frames[0]) : null, frames });
    },
  });
  // Hooks run in the order they were enabled: install after the task hook, so that its init
  // (and its own-work mark) comes first.
  hook.enable();
  patches.add(() => hook.disable());
}
