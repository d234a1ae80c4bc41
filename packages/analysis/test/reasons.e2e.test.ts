import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, looptape, record, report, TMP } from './support/looptape.js';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('a reason for every finding', () => {
  it('gives each finding in --json its rule, its evidence seqs and what would have made it fine', async () => {
    const programs = [fixture('orphan-server'), fixture('rogue-loop-script'), 'examples/scripts/lost-result.mjs', 'examples/scripts/kept-alive.mjs'];
    const rules = [];
    for (const program of programs) {
      const { report: r } = await report(await record(program));
      expect(r.findings.length).toBeGreaterThan(0);
      for (const f of r.findings) {
        expect(f.reason.rule.startsWith(`${f.kind}/`)).toBe(true);
        expect(f.reason.why.length).toBeGreaterThan(20);
        expect(f.reason.fine).toBeTruthy();
        expect(f.reason.evidence.length).toBeGreaterThanOrEqual(2);
        rules.push(f.reason.rule);
      }
    }
    expect(rules).toEqual(['orphaned-task/work-after-response', 'rogue-loop/undriven', 'floating-promise/unawaited-call', 'leaked-handle/kept-alive']);
  });

  it('prints why and fine-if under each finding in text', async () => {
    const run = await looptape(['report', await record(fixture('orphan-server'))]);
    expect(run.stdout).toMatch(/\n {31}why: work this request started before it ended \(seq \d+\) went on after it .* \[orphaned-task\/work-after-response\]\n {31}fine if: /);
  });

  it('--explain SEQ prints the reasoning for one finding, with each evidence event as events shows it', async () => {
    const tape = await record(fixture('orphan-server'));
    const [f] = (await report(tape)).report.findings;
    const run = await looptape(['report', tape, '--explain', String(f.seq)]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`warning orphaned-task (seq ${f.seq}): ${f.message}`);
    expect(lines).toContain('rule: orphaned-task/work-after-response');
    expect(lines).toContain(`why: ${f.reason.why}`);
    const evidence = lines.slice(lines.indexOf('evidence:') + 1).filter(Boolean);
    expect(evidence.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([...new Set(f.reason.evidence)].sort((a, b) => a - b));
    expect(evidence.some((l) => /http\.request +in #\d+ POST \/checkout/.test(l))).toBe(true);
    expect(evidence.some((l) => /timer\.fire/.test(l))).toBe(true);
    // Any evidence seq leads to the same finding; --json prints the finding itself.
    const json = await looptape(['report', tape, '--explain', String(f.reason.evidence[0]), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'orphaned-task', seq: f.seq });
  });

  it('--explain refuses a seq with no finding, and a seq that is not a number, with one line and exit 2', async () => {
    const tape = await record(fixture('orphan-server'));
    // Findings are at seqs of the task tree: derived by the first report of this lean recording.
    expect((await looptape(['report', tape])).stderr).toMatch(/derived its task tree/);
    const none = await looptape(['report', tape, '--explain', '1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^looptape: no finding at seq 1 \(findings are at seq \d+\)\n$/);
    const bad = await looptape(['report', tape, '--explain', 'first']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
