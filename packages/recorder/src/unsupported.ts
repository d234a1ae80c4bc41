import childProcess from 'node:child_process';
import dc from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';
import tls from 'node:tls';
import workerThreads from 'node:worker_threads';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { siteOf } from '@looptape/recording';
import { callerInfo, callSites, userFrames } from './stack.js';

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
  watchRawSockets(session, patches);
  syncBuiltinESMExports();
}

/** Stack frames of Node's HTTP clients: a socket they open is recorded as HTTP, not as raw TCP. */
const HTTP_CLIENT = /node:_http_agent|node:_http_client|node:internal\/deps\/undici/;

/**
 * A client socket the program opens itself (a database driver, a raw TCP or TLS client) is
 * I/O the recording does not capture, and replay would reach the network through it.
 */
function watchRawSockets(session: Session, patches: Patches): void {
  const note = (what: 'net' | 'tls', below: Function, port: unknown) => {
    if (session.ownDepth > 0 || callSites(undefined, 12).some((f) => HTTP_CLIENT.test(f.getFileName() ?? ''))) return;
    const frame = userFrames(below, 1)[0];
    const site = frame && siteOf(frame);
    const detail = `a ${what === 'net' ? 'TCP' : 'TLS'} connection${typeof port === 'number' ? ` to port ${port}` : ''} outside HTTP`;
    session.emit({ kind: 'unsupported', ...session.here(), what, detail, site });
  };
  const onSocket = (message: unknown) => note('net', onSocket, (message as { socket?: { remotePort?: number } }).socket?.remotePort);
  dc.subscribe('net.client.socket', onSocket);
  patches.add(() => dc.unsubscribe('net.client.socket', onSocket));
  // tls.connect() does not go through net.connect(), so its sockets are not on that channel.
  patches.replace(tls, 'connect', (original) => {
    const connect = function (this: unknown, ...args: unknown[]) {
      const options = args.find((a) => typeof a === 'object' && a !== null) as { port?: number } | undefined;
      note('tls', connect, typeof args[0] === 'number' ? args[0] : options?.port);
      return (original as AnyFn).apply(this, args);
    };
    return connect as typeof original;
  });
}
