import { describe, expect, it } from 'vitest';
import { CHECKOUT, ORPHAN, REJECTION } from '../../test/checkout.js';
import { checkout } from '../../test/setup.js';
import { FindingIndex, analyzeRecording } from './findings.js';
import { scopeKey, taskKey } from './task-index.js';

describe('FindingIndex', () => {
  it('places a finding on its task and counts it on every ancestor', () => {
    const { data } = checkout();
    const index = new FindingIndex([ORPHAN], data.tasks);
    expect(index.of(taskKey(7))).toEqual([ORPHAN]);
    expect(index.within(scopeKey(2))).toBe(1);
    expect(index.of(scopeKey(2))).toEqual([]);
  });

  it('places a request-level finding on its scope', () => {
    const { data } = checkout();
    const index = new FindingIndex([{ ...ORPHAN, task: null, kind: 'unanswered-request' }], data.tasks);
    expect(index.nodes()).toEqual([scopeKey(2)]);
  });

  it("places a finding on its request when its task lives outside the request", () => {
    const { data } = checkout();
    // Task 3 is the server's socket: outside request #2, though the finding is about #2.
    const index = new FindingIndex([{ ...ORPHAN, task: 3 }], data.tasks);
    expect(index.nodes()).toEqual([scopeKey(2)]);
  });

  it('steps through findings in time', () => {
    const { data } = checkout();
    const index = new FindingIndex([REJECTION, ORPHAN], data.tasks);
    expect(index.step(0, 1)).toBe(ORPHAN);
    expect(index.step(CHECKOUT.timerFire, 1)).toBe(REJECTION);
    expect(index.step(CHECKOUT.timerFire, -1)).toBeUndefined();
  });
});

describe('analyzeRecording', () => {
  it('returns an empty report when there is no analyser', () => {
    const { reader } = checkout();
    expect(analyzeRecording(reader, null)).toEqual({ findings: [], missing: [] });
  });

  it('uses the analysis package by default: it finds the orphaned timer of the checkout', () => {
    const { reader } = checkout();
    const orphan = analyzeRecording(reader).findings.find((f) => f.kind === 'orphaned-task');
    expect(orphan).toMatchObject({ task: 7, request: 2, seq: CHECKOUT.timerFire });
  });

  it("returns the analyser's report", () => {
    const { reader } = checkout();
    expect(analyzeRecording(reader, () => ({ findings: [ORPHAN], missing: [] })).findings).toEqual([ORPHAN]);
  });
});
