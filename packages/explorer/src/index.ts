/**
 * @looptape/explorer owns `looptape explore` and `looptape test`: searching other schedules,
 * shrinking and explaining a failing one, oracles, and running a replay as a child process.
 */
export { explore, runSeed, type ExploreOptions, type ExploreResult, type Progress } from './explore.js';
export { parseOracle, oracleText, evaluate, evaluateNow, differs, DEFAULT_ORACLES, type Oracle, type Trip, type OracleContext } from './oracles.js';
export { readRecorded, inboundAnswers, findingsOf, type RecordedRun } from './recorded.js';
export { runReplay, type RunOptions } from './run.js';
export { replayTarget, isNode, nodeScript, type Target } from './target.js';
export { explain, happens } from './explain.js';
export { movesBetween, applyMoves, ddmin, type Move } from './moves.js';
export { ExplorerError, type ExplorerErrorCode } from './errors.js';
export { testRecording, testPlan, type TestOptions, type TestOutcome } from './regress.js';
export { openWithTree, type WithTree } from './derive.js';
