/**
 * @looptape/analysis owns the findings of `looptape report`: the detectors (orphans, floating
 * promises, leaks, loops, errors, requests), their wording and suppressions. It reads a
 * recording through `@looptape/recording`, whose task table it extends with its own columns.
 */
export * from './findings.js';
export { analyze, type RecordingModel } from './analyze.js';
export type { AnalyzeOptions } from './detect/context.js';
export { formatReport, type FormatOptions } from './format.js';
export { explainFinding, findingAt } from './explain.js';
export { ConfigError } from './errors.js';
export { CONFIG_FILE, loadConfig, type SuppressionConfig } from './suppress/config.js';
export { applySuppressions, type SuppressOptions } from './suppress/apply.js';
export { readTaskTable, type AnalysisTasks } from './model/tasks.js';
export { readWorld, type World, type Exchange, type TimerInfo } from './model/world.js';
export { Namer, exchangeLabel, timerLabel } from './model/paths.js';
