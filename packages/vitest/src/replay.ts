import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findingsOf, readRecorded, testPlan, testRecording } from '@looptape/explorer';
import { loadSchedule, type Delivery, type Schedule } from '@looptape/replayer';
import { VitestHelperError } from './errors.js';
import { withVerdict, type ReplayedRun } from './verdict.js';

export interface ReplayRecordingOptions {
  /** The program to test, e.g. ['node', 'server.mjs'] (default: the recorded command line). */
  command?: string[];
  /** The order to deliver in: a schedule file (as `replay --schedule` takes) or the schedule itself. Default: the recording's own. */
  schedule?: string | Schedule | Delivery[];
  /** Oracles to check instead of the recording's own, in `--until` syntax ('differs', 'status>=500', …). */
  until?: string | string[];
  /** Where to run the program and resolve relative paths (default: process.cwd()). */
  cwd?: string;
  /** The program's environment (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Replays a recording leniently against the current code, as `looptape test` does, and resolves
 * the run object `replay --json` prints. The run also carries, under a symbol, the oracles'
 * verdict, the recorded answers and the run's findings, for the matchers toTrip,
 * toMatchRecordedResponses and toHaveNoFindings. Rejects when the recording cannot be tested.
 */
export async function replayRecording(file: string, options: ReplayRecordingOptions = {}): Promise<ReplayedRun> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const abs = path.resolve(process.cwd(), file);
  const until = typeof options.until === 'string' ? [options.until] : options.until;
  // The run is saved so its report findings can be read (toHaveNoFindings, finding: oracles).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-vitest-'));
  try {
    const outcome = await testRecording({
      file: abs, command: options.command, cwd, env: options.env ?? process.env, until,
      schedule: scheduleOf(options.schedule, cwd), saveTo: path.join(dir, 'run.tape'),
    });
    if (outcome.status === 'error' || !outcome.run) {
      throw new VitestHelperError('CANNOT_TEST', `${file}: ${outcome.reason ?? 'the recording cannot be tested'}`);
    }
    const trip = outcome.status === 'fail' ? splitReason(outcome.reason ?? '', outcome.oracles) : undefined;
    return withVerdict(outcome.run, {
      file: abs, cwd, oracles: outcome.oracles, trip,
      expected: testPlan(readRecorded(abs), until, cwd).expected,
      findings: findingsOf(path.join(dir, 'run.tape')),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function scheduleOf(schedule: ReplayRecordingOptions['schedule'], cwd: string): Delivery[] | undefined {
  if (schedule === undefined) return undefined;
  if (typeof schedule === 'string') return loadSchedule(path.resolve(cwd, schedule)).deliveries;
  return Array.isArray(schedule) ? schedule : schedule.deliveries;
}

/** testRecording's reason is `ORACLE: REASON`; the oracle is one of those checked. */
function splitReason(reason: string, oracles: string[]): { oracle: string; reason: string } {
  const oracle = oracles.find((o) => reason.startsWith(`${o}: `));
  return oracle ? { oracle, reason: reason.slice(oracle.length + 2) } : { oracle: oracles[0] ?? '?', reason };
}
