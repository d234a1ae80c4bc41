// Records an example service under `looptape record` while its traffic script runs against it.
import path from 'node:path';
import { BIN, NODE, ROOT, run, type Run } from './cli.js';

export interface RecordedService {
  record: Run;
  traffic: Run;
}

/**
 * `looptape record --out OUT -- node examples/NAME/server.mjs` with `env`, then, once it prints
 * `listening on URL`, `node examples/NAME/traffic.mjs URL` (same env); resolves when both ended.
 */
export async function recordService(out: string, name: string, env: Record<string, string>, server = 'server.mjs'): Promise<RecordedService> {
  let resolveUrl: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const recording = run([NODE, BIN, 'record', '--force', '--out', out, '--', NODE, path.join(ROOT, 'examples', name, server)], {
    env,
    timeoutMs: 90_000,
    onStdout: (text) => {
      const m = /listening on (\S+)/.exec(text);
      if (m) resolveUrl(m[1]);
    },
  });
  const url = await Promise.race([listening, recording.then((r) => Promise.reject(new Error(`${name} ended before listening (exit ${r.code}): ${r.stderr}`)))]);
  const traffic = await run([NODE, path.join(ROOT, 'examples', name, 'traffic.mjs'), url], { env, timeoutMs: 60_000 });
  return { record: await recording, traffic };
}
