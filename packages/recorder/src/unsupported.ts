import childProcess from 'node:child_process';
import http2 from 'node:http2';
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

/**
 * An `http2` client session is not captured as HTTP (its streams share one socket, framed and
 * compressed): its first `http2.connect` is noted as `unsupported` at the program's call site,
 * so that replay refuses it in one line before it starts instead of diverging at the socket.
 */
export function watchHttp2Clients(session: Session, patches: Patches): void {
  let noted = false;
  patches.replace(http2, 'connect', (original) => {
    const connect = function (this: unknown, ...args: unknown[]) {
      if (!noted && session.ownDepth === 0) {
        noted = true;
        const authority = typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].origin : 'a server';
        session.emit({ kind: 'unsupported', ...session.here(), what: 'an http2 client', detail: `http2.connect to ${authority}`, site: callerInfo(connect, 8).site });
      }
      return (original as AnyFn).apply(this, args);
    };
    return connect as typeof original;
  });
  syncBuiltinESMExports();
}
