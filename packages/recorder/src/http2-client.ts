import http2 from 'node:http2';
import { syncBuiltinESMExports } from 'node:module';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callerInfo } from './stack.js';

type AnyFn = (...args: any[]) => any;

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
