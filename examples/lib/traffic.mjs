// The client every example's traffic.mjs is made of. Only Node built-ins.

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

/** The app's base URL, from argv[2]. */
export function appUrl() {
  const url = process.argv[2];
  if (!url) {
    console.error('usage: node traffic.mjs http://127.0.0.1:PORT');
    process.exit(2);
  }
  return url;
}
