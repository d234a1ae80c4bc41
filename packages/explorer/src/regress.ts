import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finalizeRecording, RecordingError } from '@looptape/recording';
import { formatDivergence, type Delivery, type ReplayResult, type RunResponse } from '@looptape/replayer';
import { ExplorerError } from './errors.js';
import { evaluate, parseOracle, type Oracle } from './oracles.js';
import { findingsOf, readRecorded, type RecordedRun } from './recorded.js';
import { runReplay } from './run.js';
import { replayTarget } from './target.js';

export interface TestOptions {
  file: string;
  /** The program to test (default: the recorded command line). */
  command?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Oracles to use instead of the recording's own. */
  until?: string[];
  /** Save what the code does now as a recording (for --update). */
  saveTo?: string;
  /** The order to deliver in, instead of the recording's own (its found schedule, else the recorded one). */
  schedule?: Delivery[];
}

export interface TestOutcome {
  file: string;
  /** pass: no oracle tripped; fail: one did (the bug is there); error: the recording cannot be tested. */
  status: 'pass' | 'fail' | 'error';
  /** The oracles checked, as the user writes them. */
  oracles: string[];
  reason?: string;
  run?: ReplayResult;
  durationMs: number;
}

/** What a recording is tested against: the oracles it carries (or was given) and the answers `differs` compares with. */
export function testPlan(recorded: RecordedRun, until: string[] | undefined, cwd: string): { oracles: Oracle[]; texts: string[]; expected: RunResponse[] } {
  const { found } = recorded.meta;
  const texts = until?.length ? until : found?.oracle ? [found.oracle] : recorded.meta.until?.length ? recorded.meta.until : ['differs'];
  return { oracles: texts.map((t) => parseOracle(t, cwd)), texts, expected: found?.expected ?? recorded.responses };
}

/**
 * Replays a recording against the current code, leniently (docs/regression-tests.md): the
 * recorded order where the code allows it, answers matched by method, URL and body then by
 * occurrence, timers the code sets fired at their due time. Fails while an oracle trips.
 */
export async function testRecording(options: TestOptions): Promise<TestOutcome> {
  const started = Date.now();
  const outcome = (status: TestOutcome['status'], oracles: string[], reason?: string, run?: ReplayResult): TestOutcome => ({ file: options.file, status, oracles, reason, run, durationMs: Date.now() - started });
  let plan: ReturnType<typeof testPlan> | undefined;
  let scratch: string | undefined;
  try {
    const recorded = readRecorded(options.file);
    if (recorded.unsupported) return outcome('error', [], `the program used ${recorded.unsupported}, which recordings do not capture`);
    plan = testPlan(recorded, options.until, options.cwd);
    const target = replayTarget(recorded.meta.argv, recorded.meta.cwd, options.command ?? [], options.cwd);
    const needsFindings = plan.oracles.some((o) => o.kind === 'finding');
    // finding: oracles read a recording of the run: a scratch one unless this run is kept.
    if (needsFindings && !options.saveTo) scratch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-test-')), 'run.tape');
    const out = options.saveTo ?? scratch;
    const save = out ? { out, meta: { argv: target.argv, cwd: target.cwd, until: plan.texts } } : undefined;
    const run = await runReplay({
      ...target, file: options.file, env: options.env,
      replay: { choose: { strategy: 'guided', order: options.schedule ?? recorded.schedule }, answers: 'same', save },
    });
    if (save) finalizeRecording(save.out);
    if (run.divergence) return outcome('error', plan.texts, `cannot test: ${formatDivergence(run.divergence).replace(/^replay diverged: /, '')}`, run);
    if (run.leftRecording) return outcome('error', plan.texts, `cannot test: ${run.leftRecording}`, run);
    const findings = needsFindings && save ? findingsOf(save.out) : undefined;
    const trip = await evaluate(plan.oracles, run, { recorded: plan.expected, findings });
    return trip ? outcome('fail', plan.texts, `${plan.texts[trip.index]}: ${trip.reason}`, run) : outcome('pass', plan.texts, undefined, run);
  } catch (error) {
    if (error instanceof ExplorerError || error instanceof RecordingError) return outcome('error', plan?.texts ?? [], error.message);
    throw error;
  } finally {
    if (scratch) fs.rmSync(path.dirname(scratch), { recursive: true, force: true });
  }
}
