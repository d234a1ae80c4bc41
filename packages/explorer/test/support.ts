// Recording the explorer's fixtures: a stub upstream in this process, the fixture under
// `looptape record`, one request from a client, and the recording it leaves.
import path from 'node:path';
import { looptape, NODE, ROOT, run, type Run } from '../../replayer/test/support/cli.js';
import { startStub } from '../../replayer/test/support/stub.js';

export { looptape, NODE, ROOT, run, scratch } from '../../replayer/test/support/cli.js';
export const FIXTURES = path.join(ROOT, 'packages/explorer/test/fixtures');

/** Records fixtures/first-answer.mjs in MODE, /user answering before /cart (the passing order). */
export async function recordFirstAnswer(out: string, mode: string): Promise<Run> {
  const stub = await startStub({ '/user': { latencyMs: 5, body: 'ada' }, '/cart': { latencyMs: 60, body: '3 items' } });
  try {
    let url = '';
    let resolveUrl: () => void = () => {};
    const listening = new Promise<void>((resolve) => (resolveUrl = resolve));
    const recording = run([NODE, path.join(ROOT, 'packages/cli/dist/bin.js'), 'record', '--out', out, '--', NODE, path.join(FIXTURES, 'first-answer.mjs')], {
      env: { MODE: mode, UPSTREAM_URL: stub.url },
      onStdout: (text) => {
        const m = /listening on (\S+)/.exec(text);
        if (m && !url) {
          url = m[1];
          resolveUrl();
        }
      },
    });
    await listening;
    await fetch(`${url}/order`).then((r) => r.text());
    return await recording;
  } finally {
    await stub.close();
  }
}

/** `looptape explore … --json`, parsed. */
export async function exploreJson(args: string[], command: string[] = []): Promise<{ run: Run; result: Record<string, any> }> {
  const r = await looptape(['explore', ...args, '--json', ...(command.length ? ['--', ...command] : [])]);
  return { run: r, result: r.stdout.trim() ? JSON.parse(r.stdout.trim().split('\n').pop()!) : {} };
}
