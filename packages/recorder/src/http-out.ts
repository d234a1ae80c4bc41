import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { observeClientRequest } from './http-client.js';
import { headOf, observeFetch, type FetchHead } from './http-fetch.js';
import type { Patches } from './patches.js';
import type { Session } from './session.js';
import { callerInfo } from './stack.js';

type AnyFn = (...args: any[]) => any;

/** Exchange ids are shared by inbound and outbound HTTP, so one id names one exchange. */
export interface ExchangeIds {
  next(): number;
}

/**
 * Records the program's outbound HTTP exactly as the program sees it: at the public API
 * (fetch, http/https request and get), so errors, aborts and raw (compressed) bytes are seen
 * too. Bodies are read from clones or taps in the background: the program is never made to wait.
 */
export function installHttpOut(session: Session, patches: Patches, ids: ExchangeIds): void {
  patches.replace(globalThis, 'fetch', (original) => {
    const fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (session.ownDepth > 0) return original.call(this, input, init);
      const hasBody = init?.body != null || (input instanceof Request && input.body !== null);
      let request: FetchHead | Request;
      try {
        // Without a body, the head is read from the arguments, which go to fetch untouched;
        // a body is read from a clone of a Request made from them.
        request = hasBody ? new Request(input, init) : headOf(input, init);
      } catch {
        return original.call(this, input, init);
      }
      const caller = callerInfo(fetch, 4);
      const send = request instanceof Request ? () => original.call(this, request as Request) : () => original.call(this, input, init);
      return observeFetch(session, ids.next(), request, caller.site, send);
    };
    return fetch as typeof globalThis.fetch;
  });
  for (const mod of [http, https]) {
    for (const name of ['request', 'get'] as const) {
      patches.replace(mod, name, (original) => {
        const wrapper = function (this: unknown, ...args: unknown[]) {
          const req = (original as AnyFn).apply(this, args) as http.ClientRequest;
          if (session.ownDepth === 0) observeClientRequest(session, ids.next(), req, mod === https, callerInfo(wrapper, 4).site);
          return req;
        };
        return wrapper as typeof original;
      });
    }
  }
  syncBuiltinESMExports();
}
