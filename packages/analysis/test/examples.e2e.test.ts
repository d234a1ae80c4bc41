import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, report, ROOT, TMP } from './support/looptape.js';
// @ts-expect-error: plain JavaScript, no types
import { runExample } from '../../../examples/harness.mjs';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Runs example `name` (its upstream, the app under `looptape record`, its traffic) and reports on it. */
async function recordExample(name: string, fixed = false, flags: string[] = []) {
  const file = path.join(TMP, `${name}${fixed ? '.fixed' : ''}${flags.join('')}.tape`);
  const app = [process.execPath, BIN, 'record', '--force', '--out', file, ...flags, '--', process.execPath, path.join(ROOT, 'examples', name, fixed ? 'server.fixed.mjs' : 'server.mjs')];
  await runExample(name, { app, cwd: ROOT });
  return report(file);
}

describe('looptape report on the example servers', () => {
  it('fire-and-forget with --stacks: each unawaited audit is the handler\'s `audit(order)` call, not a line inside audit', async () => {
    const { report: r } = await recordExample('fire-and-forget', false, ['--stacks']);
    const floating = r.findings.filter((f) => f.kind === 'floating-promise');
    expect(floating.length).toBeGreaterThanOrEqual(1);
    const line = fs.readFileSync(path.join(ROOT, 'examples/fire-and-forget/server.mjs'), 'utf8').split('\n').findIndex((l) => l.trim().startsWith('audit(order);')) + 1;
    for (const f of floating) expect(f.location).toBe(`examples/fire-and-forget/server.mjs:${line}:3`);
  });

  it('fire-and-forget: names each unawaited audit, and the one that rejected as an unhandled rejection', async () => {
    const { code, report: r } = await recordExample('fire-and-forget');
    expect(code).toBe(1);
    const rejection = r.findings.filter((f) => f.kind === 'unhandled-rejection');
    expect(rejection).toHaveLength(1);
    expect(rejection[0].requestLabel).toMatch(/POST \/order$/);
    expect(rejection[0].evidence.floating).toBe(true);
    const floating = r.findings.filter((f) => f.kind === 'floating-promise');
    expect(floating.length).toBeGreaterThanOrEqual(1);
    for (const f of floating) expect(f.requestLabel).toMatch(/POST \/order$/);
    expect(r.findings.every((f) => f.kind === 'unhandled-rejection' || f.kind === 'floating-promise')).toBe(true);
  });

  it('fire-and-forget, fixed: audits tracked until shutdown are not findings', async () => {
    const { code, report: r } = await recordExample('fire-and-forget', true);
    expect(r.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('timeout-race: names the timer that fires after the answer and the upstream answer that comes too late', async () => {
    const { report: r } = await recordExample('timeout-race');
    expect(r.findings.map((f) => f.kind)).toEqual(['orphaned-task', 'orphaned-task']);
    const [ada, bob] = [...r.findings].sort((a, b) => a.seq - b.seq);
    expect(ada.requestLabel).toMatch(/user=ada$/);
    expect(ada.taskPath).toMatch(/→ setTimeout 150ms$/);
    expect(ada.location).toBe('examples/timeout-race/server.mjs:21:3');
    expect(bob.requestLabel).toMatch(/user=bob$/);
    expect(bob.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/profile\/bob answered/);
  });
});
