import childProcess from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callerInfo, userFrames } from './stack.js';

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
  watchRawSockets(session, patches);
}

/** Stack frames of Node's HTTP clients: a socket they open is recorded as HTTP, not as raw TCP. */
const HTTP_CLIENT = /node:_http_agent|node:_http_client|node:internal\/deps\/undici/;

/**
 * A client socket the program opens itself (a database driver, a raw TCP or TLS client) is
 * I/O the recording does not capture, and replay would reach the network through it.
 */
function watchRawSockets(session: Session, patches: Patches): void {
  const onSocket = (message: unknown) => {
    if (session.ownDepth > 0) return;
    const prepare = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 12;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    const stack = new Error().stack ?? '';
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
    if (HTTP_CLIENT.test(stack)) return;
    const socket = (message as { socket?: { remoteAddress?: string; remotePort?: number } }).socket;
    const site = userFrames(onSocket, 1)[0]?.replace(/^\S+ (?=\S+:\d+:\d+$)/, '');
    session.emit({ kind: 'unsupported', ...session.here(), what: 'net', detail: `a TCP connection${socket?.remotePort ? ` to port ${socket.remotePort}` : ''} outside HTTP`, site });
  };
  dc.subscribe('net.client.socket', onSocket);
  patches.add(() => dc.unsubscribe('net.client.socket', onSocket));
}
