// Plumbing shared by the example apps, kept out of server.mjs so the bug is what
// a reader sees there. Only Node built-ins.
import http from 'node:http';

/**
 * Serves `handler` on 127.0.0.1:$PORT (default 0: any free port), prints one
 * `listening on http://127.0.0.1:<port>` line, and closes the server once
 * $REQUESTS responses (default `requests`) have finished, so the process ends by
 * itself when the work still pending is done. It never calls process.exit.
 */
export function serve(handler, { requests }) {
  const limit = Number(process.env.REQUESTS || requests);
  let finished = 0;
  const server = http.createServer((req, res) => {
    // 'close' fires once per response, whether it finished or the client left.
    res.on('close', () => {
      finished += 1;
      if (finished === limit) server.close();
    });
    handler(req, res);
  });
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  return server;
}

/** The base URL of the upstream stub, from $UPSTREAM_URL, without a trailing slash. */
export function upstreamUrl() {
  const url = process.env.UPSTREAM_URL;
  if (!url) throw new Error('UPSTREAM_URL is not set: start the example with examples/harness.mjs');
  return url.replace(/\/+$/, '');
}

/** Reads a request body as JSON (`{}` when empty). */
export async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

/** Answers with a JSON body. */
export function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
