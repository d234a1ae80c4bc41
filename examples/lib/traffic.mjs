// The client every example's traffic.mjs is made of. Only Node built-ins.
import http from 'node:http';

/** `EXAMPLE_TIMING=lucky`: send the traffic so that the example's race does not show. */
export const LUCKY = process.env.EXAMPLE_TIMING === 'lucky';

const TIMEOUT_MS = 5_000;

/**
 * Sends one request to the app and prints `<METHOD> <path> -> <status> <body>`
 * (or `-> ERR <code>` when it failed). Never throws: a failed request is a result.
 */
export async function send(baseUrl, method, path, body) {
  const init = { method, signal: AbortSignal.timeout(TIMEOUT_MS) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  let line;
  try {
    const res = await fetch(new URL(path, baseUrl), init);
    line = `${method} ${path} -> ${res.status} ${await res.text()}`;
  } catch (err) {
    line = `${method} ${path} -> ERR ${err.cause?.code ?? err.name}`;
  }
  console.log(line);
  return line;
}

/**
 * Like send(), on a connection of its own (closed after the answer), as a separate client
 * would: requests from different clients can arrive in any order relative to each other.
 */
export function sendAlone(baseUrl, method, path, body) {
  return new Promise((resolve) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
    const req = http.request(new URL(path, baseUrl), { method, headers, agent: false, timeout: TIMEOUT_MS }, (res) => {
      let answer = '';
      res.setEncoding('utf8').on('data', (d) => (answer += d));
      res.on('end', () => done(`${method} ${path} -> ${res.statusCode} ${answer}`));
    });
    const done = (line) => {
      console.log(line);
      resolve(line);
    };
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => done(`${method} ${path} -> ERR ${err.code ?? err.name}`));
    req.end(text);
  });
}

/** The app's base URL, from argv[2]. */
export function appUrl() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: node traffic.mjs http://127.0.0.1:PORT');
    process.exit(2);
  }
  return url;
}
