import path from 'node:path';
import { differs, evaluate, evaluateNow, parseOracle } from '@looptape/explorer';
import { expect } from 'vitest';
import { verdictOf, type Verdict } from './verdict.js';
import type { ReplayResult } from '@looptape/replayer';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The matchers, for `expect(run)` where run is what replayRecording resolved. */
export interface LooptapeMatchers<R = unknown> {
  /** The replay trips the recording's oracle (or the one given, in `--until` syntax). A js: oracle makes it async: await it. */
  toTrip(oracle?: string): R;
  /** Every inbound request got the recorded answer, status and body. */
  toMatchRecordedResponses(): R;
  /** The replayed run's report has no findings (of this kind, if given). */
  toHaveNoFindings(kind?: string): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends LooptapeMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends LooptapeMatchers {}
}

function toTrip(received: unknown, oracle?: string): MatcherResult | Promise<MatcherResult> {
  const verdict = verdictOf(received, 'toTrip');
  if (oracle === undefined) return tripResult(verdict, verdict.oracles.join(', '), verdict.trip);
  const parsed = parseOracle(oracle, verdict.cwd);
  const context = { recorded: verdict.expected, findings: verdict.findings };
  const run = received as ReplayResult;
  if (parsed.kind === 'js') return evaluate([parsed], run, context).then((trip) => tripResult(verdict, oracle, trip));
  return tripResult(verdict, oracle, evaluateNow([parsed], run, context));
}

function tripResult(verdict: Verdict, oracles: string, trip: Verdict['trip']): MatcherResult {
  const name = recording(verdict);
  return {
    pass: trip !== undefined,
    message: () => (trip ? `expected the replay of ${name} not to trip ${oracles}, but ${trip.oracle} tripped: ${trip.reason}` : `expected the replay of ${name} to trip ${oracles}, but it did not`),
  };
}

function toMatchRecordedResponses(received: unknown): MatcherResult {
  const verdict = verdictOf(received, 'toMatchRecordedResponses');
  const difference = differs(verdict.expected, (received as ReplayResult).responses);
  const name = recording(verdict);
  return {
    pass: difference === undefined,
    message: () => (difference ? `expected the replay of ${name} to answer as recorded, but ${difference}` : `expected the replay of ${name} to answer otherwise than recorded, but all ${verdict.expected.length} answers were as recorded`),
  };
}

function toHaveNoFindings(received: unknown, kind?: string): MatcherResult {
  const verdict = verdictOf(received, 'toHaveNoFindings');
  const found = verdict.findings.filter((f) => kind === undefined || f.kind === kind);
  const what = kind ? `${kind} findings` : 'findings';
  const name = recording(verdict);
  return {
    pass: found.length === 0,
    message: () => (found.length > 0 ? `expected the replay of ${name} to have no ${what}, but it has ${found.length}: ${found.map((f) => `${f.kind}: ${f.message}`).join('; ')}` : `expected the replay of ${name} to have ${what}, but it has none`),
  };
}

function recording(verdict: Verdict): string {
  const relative = path.relative(process.cwd(), verdict.file);
  return relative && !relative.startsWith('..') ? relative : verdict.file;
}

/** Registers the matchers with vitest's expect; importing the package does it. */
export function registerMatchers(): void {
  expect.extend({ toTrip, toMatchRecordedResponses, toHaveNoFindings });
}
