import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, looptape, record, report, TMP } from './support/looptape.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

function config(name: string, body: unknown): string {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

describe('suppressions', () => {
  it('a looptape-ignore-next-line comment above the creating line suppresses that kind there, and says so', async () => {
    const { code, report: r } = await report(await record(fixture('orphan-ignored')));
    expect(r.findings).toEqual([]);
    expect(code).toBe(0);
    expect(r.suppressed).toHaveLength(1);
    expect(r.suppressed![0]).toMatchObject({ kind: 'orphaned-task', suppressedBy: `looptape-ignore-next-line at ${fixture('orphan-ignored')}:6` });
    const text = (await looptape(['report', await record(fixture('orphan-ignored'))])).stdout;
    expect(text).toMatch(/^no findings in /);
    expect(text).toMatch(/suppressed \(1, not counted\):\n {2}orphaned-task +setTimeout 50ms fired/);
  });

  it('the config turns a kind off everywhere, or only in the files an override names', async () => {
    const tape = await record(fixture('orphan-server'));
    const everywhere = await report(tape, ['--config', config('all.json', { rules: { 'orphaned-task': 'off' } })]);
    expect(everywhere.code).toBe(0);
    expect(everywhere.report.suppressed!.map((f) => [f.kind, f.suppressedBy])).toEqual([['orphaned-task', `${path.join(TMP, 'all.json')} (rules)`]]);
    const inFixtures = await report(tape, ['--config', config('files.json', { overrides: [{ files: ['packages/analysis/test/fixtures/**'], rules: { 'orphaned-task': 'off' } }] })]);
    expect(inFixtures.report.findings).toEqual([]);
    expect(inFixtures.report.suppressed![0].suppressedBy).toMatch(/\(overrides: packages\/analysis\/test\/fixtures\/\*\*\)$/);
    const elsewhere = await report(tape, ['--config', config('other.json', { overrides: [{ files: ['src/**'], rules: { 'orphaned-task': 'off' } }] })]);
    expect(elsewhere.report.findings.map((f) => f.kind)).toEqual(['orphaned-task']);
    expect(elsewhere.code).toBe(1);
  });

  it('reads looptape.config.json from the recorded program\'s folder by itself', async () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'project-'));
    fs.copyFileSync(path.join(fixture('rogue-loop-script')), path.join(dir, 'app.mjs'));
    fs.writeFileSync(path.join(dir, 'looptape.config.json'), JSON.stringify({ rules: { 'rogue-loop': 'off' } }));
    const tape = path.join(dir, 'app.tape');
    const rec = await looptape(['record', '--force', '--out', tape, '--', process.execPath, path.join(dir, 'app.mjs')], 30_000, dir);
    expect(fs.existsSync(tape), rec.stderr).toBe(true);
    const { code, report: r } = await report(tape);
    expect(r.suppressed!.map((f) => [f.kind, f.suppressedBy])).toEqual([['rogue-loop', 'looptape.config.json (rules)']]);
    expect(code).toBe(0);
  });

  it('refuses a config it cannot use with one line and exit 2', async () => {
    const tape = await record(fixture('orphan-server'));
    for (const [name, body, message] of [
      ['bad.json', '{ rules: ', /not valid JSON/],
      ['kind.json', { rules: { 'orphan-task': 'off' } }, /unknown finding kind 'orphan-task'/],
      ['value.json', { rules: { 'rogue-loop': false } }, /"off" or "on", not false/],
    ] as const) {
      const run = await looptape(['report', tape, '--config', config(name, body)]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
    expect((await looptape(['report', tape, '--config', path.join(TMP, 'none.json')])).stderr).toMatch(/none\.json: no such file/);
  });
});
