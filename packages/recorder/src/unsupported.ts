import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callerInfo } from './stack.js';

type AnyFn = (...args: any[]) => any;

/**
 * I/O the recording does not capture (child processes, workers): recorded as `unsupported`,
 * so that replay can refuse with one clear line instead of guessing.
 */
export function installUnsupported(session: Session, patches: Patches): void {
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
    patches.replace(childProcess, name, (original) => {
      const wrapper = function (this: unknown, ...args: unknown[]) {
        const caller = callerInfo(wrapper, 4);
        if (session.ownDepth === 0 && !caller.internal) {
          session.emit({ kind: 'unsupported', ...session.here(), what: 'child_process', detail: `${name} ${String(args[0])}`, site: caller.site });
        }
        return (original as AnyFn).apply(this, args);
      };
      return wrapper as typeof original;
    });
  }
  patches.replace(workerThreads, 'Worker', (Original) => {
    return class Worker extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        session.emit({ kind: 'unsupported', ...session.here(), what: 'worker_threads', detail: `Worker ${String(args[0])}` });
      }
    } as typeof Original;
  });
  syncBuiltinESMExports();
}
