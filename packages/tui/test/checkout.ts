import path from 'node:path';
import type { Finding, Report } from '@looptape/analysis';
import { RecordingBuilder } from '@looptape/test-support';

/**
 * A server answering GET /price (#1) and POST /checkout (#2). The checkout handler
 * calls the stock service (#3) and sets a 200 ms retry timer (task 7) it never clears:
 * the timer fires after the response, an orphaned task. Then a rejection nobody handles.
 */
export function writeCheckout(dir: string): string {
  const json = { 'content-type': 'application/json' };
  const b = new RecordingBuilder(path.join(dir, 'checkout.tape'), { argv: ['node', 'server.mjs'], exitCode: 0 });
  b.at(0).task(2, 'TCPSERVERWRAP').event({ kind: 'http.listen', port: 3000, host: '127.0.0.1', server: 1 });
  b.at(5).task(3, 'TCPWRAP', { trigger: 2, exec: 0 }).before(3);
  b.event({ kind: 'http.request', exchange: 1, direction: 'in', method: 'GET', url: '/price', headers: {}, body: '', task: 3, scope: 1 });
  b.task(4, 'PROMISE', { trigger: 3, exec: 3, scope: 1 }).resolve(4);
  b.at(6).event({ kind: 'http.response', exchange: 1, direction: 'in', status: 200, headers: json, body: '{"price":42}', task: 3, scope: 1 }).after(3);
  b.at(10).before(3);
  b.event({ kind: 'http.request', exchange: 2, direction: 'in', method: 'POST', url: '/checkout', headers: json, body: '{"item":"book","qty":1}', task: 3, scope: 2 });
  b.task(5, 'PROMISE', { trigger: 3, exec: 3, scope: 2 }).task(6, 'PROMISE', { trigger: 5, exec: 3, scope: 2 });
  b.event({ kind: 'http.request', exchange: 3, direction: 'out', method: 'GET', url: 'http://127.0.0.1:4000/stock', headers: {}, body: '', client: 'fetch', task: 3, scope: 2 });
  b.task(7, 'Timeout', { trigger: 3, exec: 3, scope: 2 });
  b.event({ kind: 'timer.set', timer: 1, api: 'setTimeout', delay: 200, repeat: false, resource: 7, site: '/app/server.mjs:12:5', task: 3, scope: 2 });
  b.after(3);
  b.at(30).event({ kind: 'http.response', exchange: 3, direction: 'out', status: 200, headers: json, body: '{"stock":3}', task: 0, scope: 2 });
  b.resolve(6).before(6);
  b.event({ kind: 'console', stream: 'stdout', text: 'stock ok\n', task: 6, scope: 2 });
  b.at(31).event({ kind: 'http.response', exchange: 2, direction: 'in', status: 200, headers: json, body: '{"ok":true,"order":17}', task: 6, scope: 2 });
  b.after(6).resolve(5);
  b.at(210).event({ kind: 'timer.fire', timer: 1, task: 7, scope: 2 }).before(7);
  b.event({ kind: 'console', stream: 'stdout', text: 'retrying\n', task: 7, scope: 2 }).after(7);
  b.at(220).event({ kind: 'error.unhandled-rejection', name: 'Error', message: 'boom', stack: 'Error: boom\n    at /app/server.mjs:30:9', task: 0 });
  b.at(230).event({ kind: 'process.exit', code: 0 });
  return b.close();
}

/** Seqs of the checkout recording's landmarks. */
export const CHECKOUT = {
  first: 1, priceRequest: 5, checkoutRequest: 11, stockRequest: 14, timerSet: 16, stockResponse: 18,
  console: 21, checkoutResponse: 22, timerFire: 25, rejection: 29, exit: 30,
} as const;

export const ORPHAN: Finding = {
  kind: 'orphaned-task', severity: 'error', message: 'setTimeout 200ms fired after POST /checkout responded',
  task: 7, taskPath: '#2 POST /checkout → setTimeout 200ms', request: 2, requestLabel: '#2 POST /checkout', location: '/app/server.mjs:12:5', seq: CHECKOUT.timerFire, evidence: {},
};

export const REJECTION: Finding = {
  kind: 'unhandled-rejection', severity: 'error', message: 'Error: boom', task: null, taskPath: 'main', request: null, requestLabel: null,
  location: '/app/server.mjs:30:9', seq: CHECKOUT.rejection, evidence: {},
};

export const CHECKOUT_REPORT: Report = { findings: [ORPHAN, REJECTION], missing: [] };
